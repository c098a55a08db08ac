//! The state every part of a running simulator shares: the world, the traffic rules, the
//! speed of simulated time, the shutdown signal and the runtime that runs timed work.

use std::sync::{Mutex, MutexGuard, RwLock, RwLockReadGuard, RwLockWriteGuard};
use std::time::Duration;

use tokio_util::sync::CancellationToken;

use super::traffic::Traffic;
use super::world::World;

/// State shared by the HTTP handlers, the lifecycle tasks and the controls.
pub(crate) struct Shared {
    /// Read by many requests at once (Coolify serves requests in parallel); changes are
    /// exclusive.
    world: RwLock<World>,
    traffic: Mutex<Traffic>,
    pub(crate) speed: f64,
    pub(crate) shutdown: CancellationToken,
    pub(crate) runtime: tokio::runtime::Handle,
}

impl Shared {
    /// A world with no traffic rules yet, its time running `speed` times faster than real
    /// time; timed work is spawned on `runtime`.
    pub(crate) fn new(world: World, speed: f64, runtime: tokio::runtime::Handle) -> Self {
        Self {
            world: RwLock::new(world),
            traffic: Mutex::default(),
            speed,
            shutdown: CancellationToken::new(),
            runtime,
        }
    }

    pub(crate) fn world(&self) -> RwLockReadGuard<'_, World> {
        self.world.read().unwrap_or_else(|e| e.into_inner())
    }

    pub(crate) fn world_mut(&self) -> RwLockWriteGuard<'_, World> {
        self.world.write().unwrap_or_else(|e| e.into_inner())
    }

    pub(crate) fn traffic(&self) -> MutexGuard<'_, Traffic> {
        self.traffic.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Wait `ms` milliseconds of simulated time; false if the simulator is shutting down.
    pub(crate) async fn sleep_sim(&self, ms: u64) -> bool {
        if ms == 0 {
            tokio::task::yield_now().await;
            return !self.shutdown.is_cancelled();
        }
        let d = Duration::from_secs_f64(ms as f64 / 1000.0 / self.speed);
        tokio::select! {
            _ = self.shutdown.cancelled() => false,
            _ = tokio::time::sleep(d) => true,
        }
    }
}
