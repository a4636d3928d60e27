# A libiscsi session that stays logged in while the test resizes its volume: READ CAPACITY(16) before,
# then (after a line on stdin) twice more. Prints "before: capacity N", then "after: CHECK CONDITION: ..."
# (the unit attention) and "again: capacity N". Calls libiscsi (Debian: libiscsi7) through ctypes.
# Usage: python3 libiscsi_capacity.py PORT TARGET_IQN INITIATOR_IQN
import ctypes, sys, time, subprocess
lib = ctypes.CDLL("libiscsi.so.7")
lib.iscsi_create_context.restype = ctypes.c_void_p
lib.iscsi_create_context.argtypes = [ctypes.c_char_p]
lib.iscsi_set_targetname.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
lib.iscsi_set_session_type.argtypes = [ctypes.c_void_p, ctypes.c_int]
lib.iscsi_full_connect_sync.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
lib.iscsi_readcapacity16_sync.restype = ctypes.c_void_p
lib.iscsi_readcapacity16_sync.argtypes = [ctypes.c_void_p, ctypes.c_int]
lib.scsi_datain_unmarshall.restype = ctypes.c_void_p
lib.scsi_datain_unmarshall.argtypes = [ctypes.c_void_p]
lib.iscsi_get_error.restype = ctypes.c_char_p
lib.iscsi_get_error.argtypes = [ctypes.c_void_p]
port, target, initiator = sys.argv[1], sys.argv[2], sys.argv[3]
ctx = lib.iscsi_create_context(initiator.encode())
lib.iscsi_set_targetname(ctx, target.encode())
lib.iscsi_set_session_type(ctx, 2)  # ISCSI_SESSION_NORMAL
if lib.iscsi_full_connect_sync(ctx, ("127.0.0.1:" + port).encode(), 0) != 0:
    print("connect failed", lib.iscsi_get_error(ctx)); sys.exit(2)
def rc16():
    t = lib.iscsi_readcapacity16_sync(ctx, 0)
    status = ctypes.c_int.from_address(t).value
    if status != 0:
        return "CHECK CONDITION: " + lib.iscsi_get_error(ctx).decode()
    p = lib.scsi_datain_unmarshall(t)
    return "capacity %d" % ((ctypes.c_uint64.from_address(p).value + 1) * 512)
print("before:", rc16(), flush=True)
sys.stdin.readline()   # the test resizes the volume meanwhile
print("after:", rc16(), flush=True)
print("again:", rc16(), flush=True)
