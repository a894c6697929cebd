crate::string_enum!(
    /// A public reply is seen by the customer; a note only by the team;
    /// a system event records a change (status, assignee, ...).
    MessageKind, "kind" { Public = "public", Note = "note", System = "system" }
);
