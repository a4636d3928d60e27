-- When a MAC's own TCP traffic last came from its sighted address (its iPXE script fetched from there
-- right after DHCP saw it, or its volume used over NBD): proxy-mode NBD trusts only such an address
-- (issue 14), and a restart must not cut off clients that were booted. NULL: not vouched for.
ALTER TABLE peer_address ADD COLUMN vouched_at TIMESTAMP WITH TIME ZONE;
