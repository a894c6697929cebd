//! Rapport's domain: the types every other crate speaks, and the rules that need no IO.
//!
//! Values arriving from outside are parsed into these types once, at the edge
//! (`Email::parse`, `TicketStatus::parse`, ...), so code further in can trust them.

#[macro_use]
mod string_enum;

pub mod access;
pub mod canned;
pub mod crypto;
pub mod custom_field;
pub mod email;
pub mod error;
pub mod html;
pub mod locale;
pub mod message;
pub mod rate_limit;
pub mod sla;
pub mod ticket;
pub mod time;

pub use access::{Actor, Permission, Role};
pub use custom_field::{CustomFieldKind, CustomFieldValue};
pub use email::Email;
pub use error::DomainError;
pub use locale::Locale;
pub use message::MessageKind;
pub use ticket::{Channel, Priority, TicketStatus};
pub use time::Timestamp;

/// Row ids are 64-bit integers, unique per table across all workspaces.
/// Every store method is also scoped by the caller's workspace, so an id from
/// another workspace behaves exactly like an id that does not exist.
pub type Id = i64;
