-- Shared volumes and several initiator names per client (issue 13). A shared volume may be open
-- by several initiators at once (a cluster disk: they coordinate with SCSI reservations); every
-- other volume keeps the one-writer rule. A client's first initiator name stays in
-- client.initiator_iqn (what iPXE presents); the others, also allowed to log in to its target
-- (the booted OS's own name, a second cluster node's), are listed here in the order given.
ALTER TABLE volume ADD COLUMN shared BOOLEAN DEFAULT FALSE NOT NULL;

CREATE TABLE client_initiator (
    client_name    VARCHAR(64)  NOT NULL REFERENCES client(name) ON DELETE CASCADE,
    position       INT          NOT NULL,
    initiator_iqn  VARCHAR(223) NOT NULL,
    PRIMARY KEY (client_name, position)
);
