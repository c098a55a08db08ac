//! The platform's server sizing guide (design document, section 8.1): how many
//! applications each Hetzner plan is meant for.

/// One row of the sizing guide.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HetznerPlan {
    pub name: &'static str,
    pub scale: &'static str,
    /// Applications this size is meant for, inclusive.
    pub apps: (usize, usize),
    pub ram_gb: u32,
    pub vcpu: u32,
    pub disk_gb: u32,
}

pub const PLANS: [HetznerPlan; 4] = [
    HetznerPlan {
        name: "CPX21",
        scale: "MVP",
        apps: (3, 9),
        ram_gb: 4,
        vcpu: 3,
        disk_gb: 80,
    },
    HetznerPlan {
        name: "CPX31",
        scale: "Small",
        apps: (10, 20),
        ram_gb: 8,
        vcpu: 4,
        disk_gb: 160,
    },
    HetznerPlan {
        name: "CPX41",
        scale: "Medium",
        apps: (21, 50),
        ram_gb: 16,
        vcpu: 8,
        disk_gb: 240,
    },
    HetznerPlan {
        name: "CPX51",
        scale: "Large",
        apps: (51, 100),
        ram_gb: 32,
        vcpu: 16,
        disk_gb: 360,
    },
];

/// The plan a server's name or description mentions (`Hetzner CPX31 ...`).
pub fn plan_of(text: &str) -> Option<HetznerPlan> {
    let upper = text.to_ascii_uppercase();
    PLANS.iter().copied().find(|p| upper.contains(p.name))
}

/// How a server's application count compares with what its plan is sized for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fit {
    /// Fewer applications than the plan is meant for: a smaller plan would do.
    Roomy,
    Within,
    /// More than the plan is meant for: the next size up, or another server.
    Over,
}

pub fn fit(plan: HetznerPlan, apps: usize) -> Fit {
    if apps > plan.apps.1 {
        Fit::Over
    } else if apps < plan.apps.0 {
        Fit::Roomy
    } else {
        Fit::Within
    }
}

/// The smallest plan meant for this many applications.
pub fn plan_for(apps: usize) -> Option<HetznerPlan> {
    PLANS.iter().copied().find(|p| apps <= p.apps.1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plans_are_found_and_compared() {
        let plan = plan_of("Hetzner cpx31 · 4 vCPU, 8 GB").unwrap();
        assert_eq!(plan.name, "CPX31");
        assert_eq!(fit(plan, 9), Fit::Roomy);
        assert_eq!(fit(plan, 12), Fit::Within);
        assert_eq!(fit(plan, 21), Fit::Over);
        assert_eq!(plan_for(21).unwrap().name, "CPX41");
        assert!(plan_for(500).is_none());
        assert!(plan_of("a build box").is_none());
    }
}
