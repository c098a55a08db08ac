//! The data sets: the PF-CORE demo (projects AIR, BAIV, W4M x dev/staging/prod, from the
//! platform's design document) and a large generated one for load tests, each with the
//! same team (keys, GitHub apps, a cloud token, members).
//!
//! Every uuid, sha and random choice comes from the seeded generator, in a fixed order, so
//! the same seed gives the same world (timestamps are relative to the start time).

mod attached;
mod builders;
mod large;
mod pfcore;
mod team;

use super::world::World;

/// Build the world: the demo data set, or `apps` generated applications.
pub(crate) fn build(seed: u64, apps: Option<usize>, queue_limit: usize) -> World {
    let mut w = World::new(seed);
    match apps {
        None => pfcore::populate(&mut w, queue_limit),
        Some(n) => large::populate(&mut w, n, queue_limit),
    }
    team::populate(&mut w);
    w
}
