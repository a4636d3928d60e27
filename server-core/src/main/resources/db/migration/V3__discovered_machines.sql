-- Machines that asked to network-boot with a MAC no client has (the app offers to add them).
CREATE TABLE discovered_machine (
    mac             VARCHAR(17)  PRIMARY KEY,
    architecture    INT          NOT NULL,
    vendor_class    VARCHAR(255),
    interface_name  VARCHAR(64),
    first_seen      TIMESTAMP WITH TIME ZONE NOT NULL,
    last_seen       TIMESTAMP WITH TIME ZONE NOT NULL
);
