; Boot sector for the iPXE sanboot test: proves the client read its SAN disk and wrote to it.
; Prints to COM1, reads LBA 1 (a NUL-terminated string) with INT 13h AH=42h and prints it,
; writes this sector to LBA 2 with AH=43h, then leaves QEMU through isa-debug-exit
; (exit status = value*2+1: 0x31 -> 99 means success, 0x10 -> 33 means a disk call failed).
bits 16
org 0x7c00

start:
    cli
    xor ax, ax
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov sp, 0x7c00
    sti
    mov [drive], dl
    mov si, hello
    call print
    mov si, dap_read
    mov ah, 0x42
    mov dl, [drive]
    int 0x13
    jc fail
    mov si, 0x8000
    call print
    mov si, dap_write
    mov ax, 0x4300
    mov dl, [drive]
    int 0x13
    jc fail
    mov si, wrote
    call print
    mov al, 0x31
    out 0xf4, al
    hlt

fail:
    mov si, failed
    call print
    mov al, 0x10
    out 0xf4, al
    hlt

print:                      ; SI: NUL-terminated string to COM1
    lodsb
    test al, al
    jz .done
    mov bl, al
    mov dx, 0x3fd
.wait:
    in al, dx
    test al, 0x20
    jz .wait
    mov al, bl
    mov dx, 0x3f8
    out dx, al
    jmp print
.done:
    ret

drive: db 0
hello: db "NETROOT-SANBOOT: boot sector running", 13, 10, 0
wrote: db 13, 10, "NETROOT-SANBOOT: wrote LBA 2", 13, 10, 0
failed: db "NETROOT-SANBOOT: disk call failed", 13, 10, 0
align 4
dap_read:  db 0x10, 0
           dw 1, 0x8000, 0
           dq 1
dap_write: db 0x10, 0
           dw 1, 0x7c00, 0
           dq 2

times 510 - ($ - $$) db 0
dw 0xaa55
