-- Golden images and overlays (issue 12). A golden volume is served read-only and is the backing
-- file of its overlays; an overlay names the golden image it reads unwritten blocks from. Raw
-- volumes of V1 stay as they are: neither golden nor an overlay.
ALTER TABLE volume ADD COLUMN golden BOOLEAN DEFAULT FALSE NOT NULL;
ALTER TABLE volume ADD COLUMN overlay_of VARCHAR(64);
-- the database too refuses to drop a golden image overlays still read from
ALTER TABLE volume ADD CONSTRAINT volume_overlay_of FOREIGN KEY (overlay_of) REFERENCES volume(name);
