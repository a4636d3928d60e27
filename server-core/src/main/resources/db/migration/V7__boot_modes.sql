-- Boot modes beyond sanboot (issue 14). client.boot_mode (V1) names the mode: SANBOOT, INSTALL,
-- KERNEL, RAMDISK, MENU, LOCAL or IGNORE; every client stored so far keeps SANBOOT. The options of
-- the modes that take some (assets by name, command-line template, menu timeout and default) are
-- one JSON document, the API's BootOptions record, NULL when none were given: they are read and
-- written as a whole, never queried by field.
ALTER TABLE client ADD COLUMN boot_options VARCHAR(16384);
