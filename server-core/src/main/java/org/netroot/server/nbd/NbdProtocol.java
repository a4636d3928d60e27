package org.netroot.server.nbd;

/**
 * The numbers of the NBD protocol (the NetworkBlockDevice project's doc/proto.md, fixed newstyle
 * with the INFO, STRUCTURED_REPLY and WRITE_ZEROES extensions). All fields go big-endian.
 */
public final class NbdProtocol {
    private NbdProtocol() {
    }

    /** IANA's port for NBD. */
    public static final int PORT = 10809;

    // ---- handshake ----------------------------------------------------------------------------
    /** "NBDMAGIC": the greeting's first 8 bytes. */
    public static final long NBDMAGIC = 0x4e42444d41474943L;
    /** "IHAVEOPT": the greeting's second 8 bytes (newstyle), and the start of every option. */
    public static final long IHAVEOPT = 0x49484156454F5054L;
    /** Starts every option reply. */
    public static final long OPTION_REPLY_MAGIC = 0x3e889045565a9L;

    public static final int FLAG_FIXED_NEWSTYLE = 1;
    public static final int FLAG_NO_ZEROES = 1 << 1;
    public static final int FLAG_C_FIXED_NEWSTYLE = 1;
    public static final int FLAG_C_NO_ZEROES = 1 << 1;

    public static final int OPT_EXPORT_NAME = 1;
    public static final int OPT_ABORT = 2;
    public static final int OPT_LIST = 3;
    public static final int OPT_STARTTLS = 5;
    public static final int OPT_INFO = 6;
    public static final int OPT_GO = 7;
    public static final int OPT_STRUCTURED_REPLY = 8;

    public static final int REP_ACK = 1;
    public static final int REP_SERVER = 2;
    public static final int REP_INFO = 3;
    public static final int REP_ERR_UNSUP = 0x80000001;
    public static final int REP_ERR_POLICY = 0x80000002;
    public static final int REP_ERR_INVALID = 0x80000003;
    public static final int REP_ERR_UNKNOWN = 0x80000006;

    public static final int INFO_EXPORT = 0;
    public static final int INFO_BLOCK_SIZE = 3;

    // ---- transmission -------------------------------------------------------------------------
    public static final int REQUEST_MAGIC = 0x25609513;
    public static final int SIMPLE_REPLY_MAGIC = 0x67446698;
    public static final int STRUCTURED_REPLY_MAGIC = 0x668e33ef;

    public static final int FLAG_HAS_FLAGS = 1;
    public static final int FLAG_READ_ONLY = 1 << 1;
    public static final int FLAG_SEND_FLUSH = 1 << 2;
    public static final int FLAG_SEND_FUA = 1 << 3;
    public static final int FLAG_SEND_TRIM = 1 << 5;
    public static final int FLAG_SEND_WRITE_ZEROES = 1 << 6;
    public static final int FLAG_SEND_DF = 1 << 7;
    public static final int FLAG_CAN_MULTI_CONN = 1 << 8;

    public static final int CMD_READ = 0;
    public static final int CMD_WRITE = 1;
    public static final int CMD_DISC = 2;
    public static final int CMD_FLUSH = 3;
    public static final int CMD_TRIM = 4;
    public static final int CMD_WRITE_ZEROES = 6;

    public static final int CMD_FLAG_FUA = 1;
    public static final int CMD_FLAG_NO_HOLE = 1 << 1;
    public static final int CMD_FLAG_DF = 1 << 2;

    public static final int REPLY_FLAG_DONE = 1;
    public static final int REPLY_TYPE_NONE = 0;
    public static final int REPLY_TYPE_OFFSET_DATA = 1;
    public static final int REPLY_TYPE_ERROR = 0x8001;

    // ---- error values (errno numbers the protocol fixes, whatever the server's OS) -------------
    public static final int EPERM = 1;
    public static final int EIO = 5;
    public static final int EINVAL = 22;
    public static final int ENOSPC = 28;
    public static final int ESHUTDOWN = 108;

    // ---- block sizes (NBD_INFO_BLOCK_SIZE) ------------------------------------------------------
    /** Smallest request we like: a sector. Unaligned requests are served all the same. */
    public static final int MIN_BLOCK = 512;
    public static final int PREFERRED_BLOCK = 4096;
    /**
     * The largest READ or WRITE payload: the 32 MiB the protocol tells portable clients to stay
     * under. A READ reply is buffered whole, a WRITE payload is collected whole before it is
     * written, so this bounds what one request pins.
     */
    public static final int MAX_PAYLOAD = 32 << 20;

    /** Option data we read at most: an export name is up to 4096 bytes, INFO/GO add a few more. */
    public static final int MAX_OPTION_DATA = 16 << 10;

    /** Bytes of an option's header: IHAVEOPT, option, length. */
    public static final int OPTION_HEADER = 16;
    /** Bytes of a request's header: magic, flags, type, handle, offset, length. */
    public static final int REQUEST_HEADER = 28;
    public static final int SIMPLE_REPLY_HEADER = 16;
    public static final int STRUCTURED_REPLY_HEADER = 20;

    /** "NBD_OPT_GO" for option 7, for logs and messages. */
    public static String optionName(int option) {
        return switch (option) {
            case OPT_EXPORT_NAME -> "NBD_OPT_EXPORT_NAME";
            case OPT_ABORT -> "NBD_OPT_ABORT";
            case OPT_LIST -> "NBD_OPT_LIST";
            case OPT_STARTTLS -> "NBD_OPT_STARTTLS";
            case OPT_INFO -> "NBD_OPT_INFO";
            case OPT_GO -> "NBD_OPT_GO";
            case OPT_STRUCTURED_REPLY -> "NBD_OPT_STRUCTURED_REPLY";
            default -> "option " + Integer.toUnsignedString(option);
        };
    }

    /** "NBD_CMD_READ" for type 0. */
    public static String commandName(int type) {
        return switch (type) {
            case CMD_READ -> "NBD_CMD_READ";
            case CMD_WRITE -> "NBD_CMD_WRITE";
            case CMD_DISC -> "NBD_CMD_DISC";
            case CMD_FLUSH -> "NBD_CMD_FLUSH";
            case CMD_TRIM -> "NBD_CMD_TRIM";
            case CMD_WRITE_ZEROES -> "NBD_CMD_WRITE_ZEROES";
            default -> "command " + type;
        };
    }
}
