"""Running the community: members, approvals, invitations, settings and the audit log."""
