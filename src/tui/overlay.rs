//! What lies over the body: the pages to read (help, messages), the operations list, the
//! `:` palette and the cards of the action pipeline. They form a stack: the innermost (the
//! last opened) gets the keys first, Esc closes it and shows the one below again, and they
//! are drawn from the outermost in.

use super::modes::Mode;
use super::panes::batch::Batch;
use super::panes::confirm::Confirm;
use super::panes::env::EnvCard;
use crate::model::Address;
use crate::ops::{Outcome, Plan};

/// The overlays open, outermost first.
#[derive(Debug, Default)]
pub struct Overlays(Vec<Overlay>);

impl Overlays {
    /// The innermost overlay: the one that gets the keys.
    pub fn top(&self) -> Option<&Overlay> {
        self.0.last()
    }

    pub fn top_mut(&mut self) -> Option<&mut Overlay> {
        self.0.last_mut()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Outermost first, as they are drawn.
    pub fn iter(&self) -> impl Iterator<Item = &Overlay> {
        self.0.iter()
    }

    /// Open `overlay` over the others.
    pub fn open(&mut self, overlay: Overlay) {
        self.0.push(overlay);
    }

    /// Close the innermost overlay.
    pub fn close(&mut self) {
        self.0.pop();
    }

    /// Close the innermost overlay and give it back.
    pub fn take_top(&mut self) -> Option<Overlay> {
        self.0.pop()
    }

    /// A card moves on to its next stage (planning, then the preview or the picker, then
    /// the result): it takes the place of the innermost card, or opens when there is none.
    pub fn settle(&mut self, card: Card) {
        match self.0.iter().rposition(|o| matches!(o, Overlay::Card(_))) {
            Some(at) => self.0[at] = Overlay::Card(card),
            None => self.0.push(Overlay::Card(card)),
        }
    }

    /// The innermost card still planning, if any.
    pub fn planning(&self) -> bool {
        matches!(
            self.0.iter().rev().find(|o| matches!(o, Overlay::Card(_))),
            Some(Overlay::Card(Card::Planning { .. }))
        )
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Overlay {
    /// The operations started here, running and recent; `selected` counts from the newest.
    Operations {
        selected: usize,
    },
    /// A page to read, scrolled by `scroll` rows.
    Page {
        page: Page,
        scroll: u16,
    },
    Palette(Palette),
    /// A modal card: an operation's preview, its result, a picker or a notice.
    Card(Card),
}

/// The pages the console shows over everything, to read and scroll.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    /// The keys of the mode it was opened in.
    Help(Mode),
    /// Every message of the session, in full.
    Messages,
}

/// The cards of the action pipeline.
#[derive(Debug, Clone, PartialEq)]
pub enum Card {
    /// Planning is under way.
    Planning { title: String },
    /// What will happen; waits for the confirmation the policy asks for.
    Preview { plan: Box<Plan>, confirm: Confirm },
    /// How it went.
    Result(Box<Outcome>),
    /// Choose the image to roll back to.
    Picker {
        scope: Address,
        current: Option<String>,
        images: Vec<String>,
        selected: usize,
    },
    /// An application's environment variables, masked; one revealed at a time.
    Env(EnvCard),
    /// One operation on several marked applications.
    Batch(Batch),
    Notice {
        title: String,
        text: String,
        error: bool,
    },
}

/// The `:` command line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Palette {
    pub input: String,
    /// The highlighted completion, if any.
    pub choice: Option<usize>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn notice(title: &str) -> Card {
        Card::Notice {
            title: title.into(),
            text: String::new(),
            error: false,
        }
    }

    #[test]
    fn the_innermost_gets_closed_first_and_the_one_below_shows_again() {
        let mut overlays = Overlays::default();
        overlays.open(Overlay::Operations { selected: 0 });
        overlays.open(Overlay::Card(notice("result")));
        assert_eq!(overlays.top(), Some(&Overlay::Card(notice("result"))));
        overlays.close();
        assert_eq!(overlays.top(), Some(&Overlay::Operations { selected: 0 }));
        overlays.close();
        assert!(overlays.is_empty());
        overlays.close();
        assert!(overlays.is_empty(), "closing nothing is no error");
    }

    #[test]
    fn a_card_settles_in_the_place_of_the_innermost_card() {
        let mut overlays = Overlays::default();
        overlays.open(Overlay::Card(Card::Planning {
            title: "Deploy".into(),
        }));
        assert!(overlays.planning());
        // Help opened over the planning card: the plan that arrives replaces the card
        // under it, and the help stays on top.
        let help = Overlay::Page {
            page: Page::Messages,
            scroll: 0,
        };
        overlays.open(help.clone());
        assert!(overlays.planning(), "the innermost card is still planning");
        overlays.settle(notice("planned"));
        assert_eq!(overlays.top(), Some(&help));
        assert!(!overlays.planning());
        overlays.close();
        assert_eq!(overlays.top(), Some(&Overlay::Card(notice("planned"))));
        assert_eq!(overlays.iter().count(), 1);
        // With no card open, a settled card opens.
        overlays.close();
        overlays.settle(notice("alone"));
        assert_eq!(overlays.top(), Some(&Overlay::Card(notice("alone"))));
    }
}
