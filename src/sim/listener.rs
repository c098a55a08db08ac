//! A listener that can be closed while the world lives on, so a simulator can stop
//! listening (clients get "connection refused") and listen again on the same address.

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;
use tokio_util::sync::{CancellationToken, WaitForCancellationFutureOwned};

/// Wraps the TCP listener: when `stop` is cancelled it drops the socket (so new
/// connections are refused) and reports that through `closed`.
pub(crate) struct KillableListener {
    inner: Option<TcpListener>,
    addr: SocketAddr,
    stop: CancellationToken,
    closed: Option<oneshot::Sender<()>>,
}

impl KillableListener {
    pub(crate) fn new(
        inner: TcpListener,
        stop: CancellationToken,
        closed: oneshot::Sender<()>,
    ) -> io::Result<Self> {
        let addr = inner.local_addr()?;
        Ok(Self {
            inner: Some(inner),
            addr,
            stop,
            closed: Some(closed),
        })
    }

    fn close(&mut self) {
        self.inner = None;
        if let Some(tx) = self.closed.take() {
            let _ = tx.send(());
        }
    }
}

impl axum::serve::Listener for KillableListener {
    type Io = KillableStream;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        loop {
            let stop = self.stop.clone();
            let res = match self.inner.as_ref() {
                None => {
                    std::future::pending::<()>().await;
                    continue;
                }
                Some(listener) => tokio::select! {
                    _ = stop.cancelled() => None,
                    res = listener.accept() => Some(res),
                },
            };
            match res {
                None => self.close(),
                Some(Ok((stream, addr))) => {
                    let _ = stream.set_nodelay(true);
                    return (KillableStream::new(stream, self.stop.clone()), addr);
                }
                Some(Err(_)) => tokio::time::sleep(std::time::Duration::from_millis(20)).await,
            }
        }
    }

    fn local_addr(&self) -> io::Result<Self::Addr> {
        Ok(self.addr)
    }
}

impl Drop for KillableListener {
    fn drop(&mut self) {
        self.close();
    }
}

/// A connection that reads end-of-file and fails writes once the listener is stopped, so
/// kept-alive connections die with it.
pub(crate) struct KillableStream {
    inner: TcpStream,
    stopped: Pin<Box<WaitForCancellationFutureOwned>>,
    dead: bool,
}

impl KillableStream {
    fn new(inner: TcpStream, stop: CancellationToken) -> Self {
        Self {
            inner,
            stopped: Box::pin(stop.cancelled_owned()),
            dead: false,
        }
    }

    fn check(&mut self, cx: &mut Context<'_>) -> bool {
        if !self.dead && self.stopped.as_mut().poll(cx).is_ready() {
            self.dead = true;
        }
        self.dead
    }
}

impl AsyncRead for KillableStream {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        if self.check(cx) {
            return Poll::Ready(Ok(()));
        }
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl AsyncWrite for KillableStream {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        if self.check(cx) {
            return Poll::Ready(Err(io::ErrorKind::ConnectionAborted.into()));
        }
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}
