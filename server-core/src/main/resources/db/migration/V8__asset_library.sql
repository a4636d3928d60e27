-- The asset library (issue 14): kernels, initrds, ISOs and root images in <data>/assets, each a
-- file named as the asset. Boot modes name assets by name; the HTTP service serves them under
-- /assets/<name>. The checksum and size are those of the bytes as added.
CREATE TABLE asset (
    name        VARCHAR(100) PRIMARY KEY,
    kind        VARCHAR(20)  NOT NULL,
    file_name   VARCHAR(255) NOT NULL,
    size_bytes  BIGINT       NOT NULL,
    sha256      CHAR(64)     NOT NULL,
    added_at    TIMESTAMP WITH TIME ZONE NOT NULL
);
