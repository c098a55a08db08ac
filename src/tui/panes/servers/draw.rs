//! The servers view: each server, what runs on it, its domains, and how its size compares
//! with the sizing guide. Coolify's API has no CPU or memory metrics; the view says so.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::ServersPane;
use crate::model::sizing::{self, Fit};
use crate::model::{Server, Tree};
use crate::tui::data::Data;
use crate::tui::layout::Areas;
use crate::tui::paint::{Paint, printable_lines, printable_spans};

/// The list of servers on the left (focused unless something covers it), the selected
/// one's details and what runs on it on the right.
pub fn draw(
    pane: &ServersPane,
    frame: &mut Frame,
    areas: &Areas,
    paint: Paint,
    focused: bool,
    data: &Data,
) {
    let look = Look {
        pane,
        paint,
        data,
        tree: &data.tree,
    };
    look.list(frame, areas.left, focused);
    let server = data.tree.servers.get(pane.selected);
    look.details(server, frame, areas.details);
    look.resources(server, frame, areas.lower);
}

/// What every part is drawn with.
struct Look<'a> {
    pane: &'a ServersPane,
    paint: Paint<'a>,
    data: &'a Data,
    tree: &'a Tree,
}

impl Look<'_> {
    fn list(&self, frame: &mut Frame, area: Rect, focused: bool) {
        let theme = self.paint.theme;
        let width = usize::from(area.width.saturating_sub(2));
        let lines: Vec<Line> = self
            .tree
            .servers
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let (glyph, style) = match (s.reachable, s.usable) {
                    (Some(true), Some(true)) => ("●", theme.ok()),
                    (Some(false), _) => ("○", theme.error()),
                    (_, Some(false)) => ("◐", theme.warning()),
                    _ => ("?", theme.unknown()),
                };
                let role = if s.build_server { " build" } else { "" };
                let line = printable_spans(Line::from(vec![
                    Span::styled(format!(" {glyph} "), style),
                    Span::styled(s.name.clone(), theme.text()),
                    Span::styled(role, theme.dim()),
                ]));
                if i == self.pane.selected {
                    let pad = width.saturating_sub(line.width());
                    let mut line = line;
                    line.spans.push(Span::raw(" ".repeat(pad)));
                    line.style(theme.selection())
                } else {
                    line
                }
            })
            .collect();
        let block = self.paint.bordered("Servers", focused);
        frame.render_widget(Paragraph::new(printable_lines(lines)).block(block), area);
    }

    fn field<'a>(&self, label: &'a str, value: String) -> Line<'a> {
        Line::from(vec![
            Span::styled(format!("{label:<13}"), self.paint.theme.dim()),
            Span::styled(value, self.paint.theme.text()),
        ])
    }

    fn details(&self, server: Option<&Server>, frame: &mut Frame, area: Rect) {
        let theme = self.paint.theme;
        let block = self.paint.bordered("Server", false);
        let Some(s) = server else {
            let text = Line::styled("  no servers visible to this token", theme.dim());
            frame.render_widget(Paragraph::new(text).block(block), area);
            return;
        };
        let apps = self.apps_on(&s.name);
        let mut lines = vec![
            Line::styled(s.name.clone(), theme.accent().bold()),
            self.field("Address", s.ip.clone().unwrap_or_else(|| "-".into())),
            self.field("Reachable", yes_no(s.reachable)),
            self.field("Usable", yes_no(s.usable)),
            self.field(
                "Role",
                if s.build_server {
                    "build server".into()
                } else {
                    "runs resources".into()
                },
            ),
        ];
        if let Some(d) = &s.description {
            lines.push(self.field("Description", d.clone()));
        }
        let text = format!(
            "{} {}",
            s.name,
            s.description.as_deref().unwrap_or_default()
        );
        let capacity = match (sizing::plan_of(&text), s.build_server) {
            (_, true) => Span::styled("builds only; runs no applications", theme.dim()),
            (Some(plan), false) => {
                let (lo, hi) = plan.apps;
                let verdict = match sizing::fit(plan, apps) {
                    Fit::Within => (format!("{apps} apps: within {lo}-{hi}"), theme.ok()),
                    Fit::Roomy => (format!("{apps} apps: room to grow ({lo}-{hi})"), theme.ok()),
                    Fit::Over => {
                        let next = sizing::plan_for(apps)
                            .map_or("another server".to_string(), |p| p.name.to_string());
                        (
                            format!("{apps} apps: over {hi}; consider {next}"),
                            theme.warning(),
                        )
                    }
                };
                Span::styled(
                    format!(
                        "{} ({}, {} GB, {} vCPU) · {}",
                        plan.name, plan.scale, plan.ram_gb, plan.vcpu, verdict.0
                    ),
                    verdict.1,
                )
            }
            (None, false) => {
                let hint = sizing::plan_for(apps)
                    .map(|p| format!("{apps} apps: the guide suggests a {} or larger", p.name))
                    .unwrap_or_else(|| format!("{apps} apps: more than one server in the guide"));
                Span::styled(hint, theme.text())
            }
        };
        lines.push(Line::from(vec![
            Span::styled(format!("{:<13}", "Capacity"), theme.dim()),
            capacity,
        ]));
        lines.push(Line::styled(
        "Coolify's API reports no CPU or memory figures; see Sentinel in the Coolify dashboard.",
        theme.dim(),
    ));
        frame.render_widget(
            Paragraph::new(printable_lines(lines))
                .block(block)
                .wrap(Wrap { trim: false }),
            area,
        );
    }

    fn apps_on(&self, server: &str) -> usize {
        self.tree
            .applications()
            .filter(|(_, _, r)| r.server.as_deref() == Some(server))
            .count()
    }

    fn resources(&self, server: Option<&Server>, frame: &mut Frame, area: Rect) {
        let theme = self.paint.theme;
        let block = self.paint.bordered("Resources and domains", false);
        let Some(s) = server else {
            frame.render_widget(block, area);
            return;
        };
        let on: Vec<_> = self
            .tree
            .resources()
            .filter(|(_, _, r)| r.server.as_deref() == Some(s.name.as_str()))
            .collect();
        let mut lines = Vec::new();
        if on.is_empty() {
            lines.push(Line::styled("  nothing runs here", theme.dim()));
        }
        for (p, e, r) in &on {
            let mut spans = vec![
                Span::raw(" "),
                self.paint
                    .status_glyph(&r.status, self.data.deploying.contains_key(&r.uuid)),
                Span::styled(format!(" {:<22}", r.name), theme.text()),
                Span::styled(
                    format!("{:<16}", format!("{}/{}", p.name, e.name)),
                    theme.dim(),
                ),
            ];
            if r.urls.is_empty() {
                let what = r.engine.as_deref().unwrap_or(r.kind.as_str());
                spans.push(Span::styled(what.to_string(), theme.dim()));
            } else {
                spans.push(Span::styled(r.urls.join(" "), theme.accent()));
            }
            lines.push(Line::from(spans));
        }
        frame.render_widget(Paragraph::new(printable_lines(lines)).block(block), area);
    }
}

fn yes_no(v: Option<bool>) -> String {
    match v {
        Some(true) => "yes".into(),
        Some(false) => "no".into(),
        None => "unknown".into(),
    }
}
