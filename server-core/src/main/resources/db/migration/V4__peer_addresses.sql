-- The address DHCP last gave or saw each MAC at (full-mode ACKs, proxy-mode REQUESTs). A CHAP
-- client's script carries its secret and goes only to that address, also after a restart.
-- One address belongs to one MAC at a time.
CREATE TABLE peer_address (
    mac      VARCHAR(17) PRIMARY KEY,
    ip       VARCHAR(15) NOT NULL UNIQUE,
    seen_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
