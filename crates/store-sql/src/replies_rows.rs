//! Row shapes of canned replies and macros, and their conversion into records.

use rapport_domain::Timestamp;
use rapport_store::replies::{CannedReply, Macro, MacroAction};
use rapport_store::{Result, StoreError};

fn json_col<T: serde::de::DeserializeOwned>(text: &str) -> Result<T> {
    serde_json::from_str(text).map_err(|e| StoreError::Other(format!("corrupt JSON column: {e}")))
}

#[derive(sqlx::FromRow)]
pub struct CannedReplyRow {
    pub id: i64,
    pub owner_user_id: Option<i64>,
    pub name: String,
    pub shortcut: Option<String>,
    pub bodies: String,
    pub created_at: i64,
    pub updated_at: i64,
}

impl CannedReplyRow {
    pub fn into_model(self) -> Result<CannedReply> {
        Ok(CannedReply {
            id: self.id,
            name: self.name,
            shortcut: self.shortcut,
            bodies: json_col(&self.bodies)?,
            owner_user_id: self.owner_user_id,
            created_at: Timestamp(self.created_at),
            updated_at: Timestamp(self.updated_at),
        })
    }
}

#[derive(sqlx::FromRow)]
pub struct MacroRow {
    pub id: i64,
    pub name: String,
    pub actions: String,
    pub created_at: i64,
    pub updated_at: i64,
}

impl MacroRow {
    pub fn into_model(self) -> Result<Macro> {
        let actions: Vec<MacroAction> = json_col(&self.actions)?;
        Ok(Macro { id: self.id, name: self.name, actions, created_at: Timestamp(self.created_at), updated_at: Timestamp(self.updated_at) })
    }
}
