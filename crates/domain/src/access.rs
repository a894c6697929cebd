//! Who may do what. Every store call carries an [`Actor`]; the store scopes
//! each query to the actor's workspace and ticket visibility, and handlers
//! check the actor's [`Permission`]s before reading or writing.

use crate::{DomainError, Id};

crate::string_enum!(
    /// - `admin`: everything in the workspace, including people and settings;
    /// - `agent`: works tickets, contacts and organizations;
    /// - `csm`: customer success manager; works accounts and contacts, and tickets like an agent;
    /// - `viewer`: reads, never writes.
    Role, "role" { Admin = "admin", Agent = "agent", Csm = "csm", Viewer = "viewer" }
);

/// The actions that are checked. Reads are permissions too, so a future role
/// that may not read something is one line here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    ReadTickets,
    WriteTickets,
    ReadPeople,
    WritePeople,
    ReadDirectory,
    ManageDirectory,
    ReadAudit,
    ManageTags,
    /// Hard deletes and redactions: tickets, contacts, organizations, messages.
    DeleteRecords,
    /// Knowledge base: read articles, internal ones included.
    ReadKnowledge,
    /// Knowledge base: write drafts and submit them for review.
    WriteKnowledge,
    /// Knowledge base: publish, unpublish, delete; manage categories.
    PublishKnowledge,
}

impl Role {
    pub fn allows(self, p: Permission) -> bool {
        use Permission::*;
        match self {
            Role::Admin => true,
            Role::Agent | Role::Csm => {
                matches!(
                    p,
                    ReadTickets | WriteTickets | ReadPeople | WritePeople | ReadDirectory | ManageTags | ReadKnowledge | WriteKnowledge
                )
            }
            Role::Viewer => matches!(p, ReadTickets | ReadPeople | ReadDirectory | ReadKnowledge),
        }
    }
}

/// The authenticated caller of a store operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub workspace_id: Id,
    pub user_id: Id,
    pub role: Role,
    /// Teams the user belongs to: they may see tickets of these teams even
    /// when the team is restricted.
    pub team_ids: Vec<Id>,
}

impl Actor {
    /// The system itself (CLI, demo seeding, background jobs): an admin with no user.
    pub fn system(workspace_id: Id) -> Actor {
        Actor { workspace_id, user_id: 0, role: Role::Admin, team_ids: vec![] }
    }

    /// The user id to record as author or actor; `None` for the system.
    pub fn user(&self) -> Option<Id> {
        (self.user_id != 0).then_some(self.user_id)
    }

    pub fn require(&self, p: Permission) -> Result<(), DomainError> {
        if self.role.allows(p) {
            Ok(())
        } else {
            Err(DomainError::Forbidden)
        }
    }

    /// Admins see every ticket of their workspace; everyone else sees tickets of
    /// unrestricted teams (or of no team) plus those of restricted teams they belong to.
    pub fn sees_all_teams(&self) -> bool {
        self.role == Role::Admin
    }

    pub fn may_see_ticket(&self, team_id: Option<Id>, team_restricted: bool) -> bool {
        if self.sees_all_teams() || !team_restricted {
            return true;
        }
        team_id.is_some_and(|t| self.team_ids.contains(&t))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(role: Role, teams: Vec<Id>) -> Actor {
        Actor { workspace_id: 1, user_id: 1, role, team_ids: teams }
    }

    #[test]
    fn viewers_never_write() {
        let v = actor(Role::Viewer, vec![]);
        for p in [Permission::WriteTickets, Permission::WritePeople, Permission::ManageDirectory, Permission::ManageTags] {
            assert_eq!(v.require(p), Err(DomainError::Forbidden));
        }
        assert!(v.require(Permission::ReadTickets).is_ok());
    }

    #[test]
    fn only_admins_manage_the_directory() {
        assert!(actor(Role::Admin, vec![]).require(Permission::ManageDirectory).is_ok());
        assert!(actor(Role::Agent, vec![]).require(Permission::ManageDirectory).is_err());
        assert!(actor(Role::Csm, vec![]).require(Permission::ReadAudit).is_err());
    }

    #[test]
    fn restricted_team_tickets() {
        let a = actor(Role::Agent, vec![7]);
        assert!(a.may_see_ticket(Some(7), true));
        assert!(!a.may_see_ticket(Some(8), true));
        assert!(a.may_see_ticket(Some(8), false));
        assert!(a.may_see_ticket(None, false));
        assert!(actor(Role::Admin, vec![]).may_see_ticket(Some(8), true));
    }
}
