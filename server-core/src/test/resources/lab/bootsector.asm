; Netroot lab boot sector: proves a BIOS client booted its SAN disk.
; iPXE's sanboot loads this sector at 0000:7C00 with DL = the SAN drive (INT 13h emulation).
; It prints a banner on COM1, reads LBA 1 with INT 13h AH=42h and prints the string found there,
; writes a marker sector to LBA 2 with AH=43h (the marker, then " for " and the iSCSI target name iPXE
; left in the iBFT, so each client's write names its own volume), prints DONE and leaves QEMU through isa-debug-exit
; (port 0xf4: QEMU exits with status al*2+1, so 0x10 -> 33 means success).
; Build: nasm -f bin -o bootsector.bin bootsector.asm
bits 16
org 0x7c00

BUFFER  equ 0x8000              ; where LBA 1 is read to
MARKBUF equ 0x9000              ; the sector written to LBA 2

start:
    cli
    xor ax, ax
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov sp, 0x7c00
    sti
    cld
    mov [drive], dl

    mov si, banner
    call print

    ; extended read of LBA 1 (INT 13h AH=42h, DS:SI = disk address packet)
    mov si, dap_read
    mov dl, [drive]
    mov ah, 0x42
    int 0x13
    jc read_failed
    mov byte [BUFFER + 511], 0  ; the known string is NUL terminated; never print past the sector
    mov si, lba1_label
    call print
    mov si, BUFFER
    call print
    mov si, crlf
    call print

    ; the marker sector: the marker string, then zeros
    mov di, MARKBUF
    mov cx, 512
    xor al, al
    rep stosb
    mov si, marker
    mov di, MARKBUF
    mov cx, marker_end - marker
    rep movsb
    call append_target

    ; extended write of LBA 2 (AH=43h, AL=0: no verify)
    mov si, dap_write
    mov dl, [drive]
    mov ax, 0x4300
    int 0x13
    jc write_failed

    mov si, done_msg
    call print
    mov al, 0x10
    jmp exit

read_failed:
    mov si, read_fail_msg
    call print
    mov al, 0x20
    jmp exit
write_failed:
    mov si, write_fail_msg
    call print
    mov al, 0x21
exit:
    out 0xf4, al                ; isa-debug-exit: QEMU stops here
.hang:
    cli
    hlt
    jmp .hang

; append " for <target name>" at ES:DI (ES = 0) from the iBFT: the ACPI table "iBFT" iPXE installs,
; 16-byte aligned between 0x80000 and 0xFFFFF; control structure at 48, its target 0 offset at +12;
; the target's name length at +34 and offset at +36 (offsets from the table's start). Nothing when absent.
append_target:
    mov bx, 0x8000
.scan:
    mov ds, bx
    cmp dword [0], 'iBFT'
    je .found
    inc bx
    jnz .scan
    jmp .back
.found:
    mov dx, bx                  ; the table's segment
    xor ax, ax
    mov ds, ax
    mov si, for_label
    mov cx, for_label_end - for_label
    rep movsb                   ; " for " (DS:SI -> ES:DI)
    mov ds, dx
    mov bx, [48 + 12]           ; target 0's offset in the table
    test bx, bx
    jz .back
    mov cx, [bx + 34]           ; its name's length
    mov si, [bx + 36]           ; and offset
    cmp cx, 200
    jbe .copy
    mov cx, 200
.copy:
    rep movsb
.back:
    xor ax, ax
    mov ds, ax
    ret

; print the NUL-terminated string at DS:SI on COM1
print:
    lodsb
    test al, al
    jz .ret
    mov ah, al
    mov dx, 0x3fd               ; line status register
.wait:
    in al, dx
    test al, 0x20               ; bit 5: transmit holding register empty
    jz .wait
    mov dx, 0x3f8
    mov al, ah
    out dx, al
    jmp print
.ret:
    ret

dap_read:
    db 0x10, 0
    dw 1                        ; sectors
    dw BUFFER, 0                ; offset, segment
    dq 1                        ; LBA
dap_write:
    db 0x10, 0
    dw 1
    dw MARKBUF, 0
    dq 2

drive:          db 0
banner:         db 13, 10, "NETROOT-LAB BIOS boot sector running", 13, 10, 0
lba1_label:     db "LBA1: ", 0
crlf:           db 13, 10, 0
done_msg:       db "NETROOT-LAB DONE", 13, 10, 0
read_fail_msg:  db "NETROOT-LAB READ FAILED", 13, 10, 0
write_fail_msg: db "NETROOT-LAB WRITE FAILED", 13, 10, 0
marker:         db "NETROOT-LAB-MARKER-LBA2 written by the boot sector"
marker_end:
for_label:      db " for "
for_label_end:

    times 510 - ($ - $$) db 0
    dw 0xaa55
