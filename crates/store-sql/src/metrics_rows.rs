//! Small shapes shared by the measurement queries of both backends.

/// A value bound to a numbered placeholder.
pub enum Bind {
    Int(i64),
    Text(String),
}

/// Which columns of a query's tables hold the dimensions a report filters by.
pub struct DimColumns {
    pub team: &'static str,
    pub brand: &'static str,
    /// The agent filter: a ticket's assignee, who logged the time, who was rated.
    pub agent: &'static str,
    pub channel: &'static str,
    pub language: &'static str,
    /// The contact whose organizations the organization filter looks at.
    pub contact: &'static str,
}

impl DimColumns {
    pub const TICKET_FACT: DimColumns = DimColumns {
        team: "f.team_id",
        brand: "f.brand_id",
        agent: "f.assignee_id",
        channel: "f.channel",
        language: "f.language",
        contact: "f.requester_id",
    };
    pub const TIME_ENTRY: DimColumns = DimColumns {
        team: "t.team_id",
        brand: "t.brand_id",
        agent: "te.user_id",
        channel: "t.channel",
        language: "t.language",
        contact: "t.requester_id",
    };
    pub const SURVEY_RESPONSE: DimColumns = DimColumns {
        team: "r.team_id",
        brand: "r.brand_id",
        agent: "r.agent_id",
        channel: "r.channel",
        language: "r.language",
        contact: "r.contact_id",
    };
    pub const SURVEY_INVITATION: DimColumns = DimColumns {
        team: "i.team_id",
        brand: "i.brand_id",
        agent: "i.agent_id",
        channel: "i.channel",
        language: "i.language",
        contact: "i.contact_id",
    };
}
