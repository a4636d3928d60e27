-- Where a client's install stands (issue 14), the server's own record, never part of what a user
-- edits: NULL before its installer was handed out; INSTALLER once it was (the next boot tries the
-- volume first); VOLUME_TRIED once the client was told to boot its volume first; INSTALLED once it
-- did, when the client stays in install mode (with "then sanboot" it switches to SANBOOT instead).
ALTER TABLE client ADD COLUMN install_phase VARCHAR(32);
