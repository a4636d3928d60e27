; Boot sector for bench/run.sh's PXE-to-sanboot timing.
; Loaded by iPXE's sanboot from the iSCSI disk (LBA 0). It reads LBA 1 through INT 13h AH=42h
; (so the SAN disk really is read after boot), prints "BENCH-BOOT:" and that sector's text to
; COM1, then leaves QEMU through isa-debug-exit (port 0xf4; QEMU exits with status al*2+1 = 0x21).
; Build: nasm -f bin -o boot.bin bootsector.asm, then append sector 1 (text, NUL-terminated).
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
    ; COM1: 115200 8N1 (iPXE may not have set it up)
    mov dx, 0x3fb
    mov al, 0x80
    out dx, al
    mov dx, 0x3f8
    mov al, 1
    out dx, al
    mov dx, 0x3f9
    xor al, al
    out dx, al
    mov dx, 0x3fb
    mov al, 3
    out dx, al
    mov si, hello
    call print
    ; read LBA 1 to 0x8000 with the EDD packet call
    mov si, dap
    mov ah, 0x42
    mov dl, [drive]
    int 0x13
    jc failed
    mov si, 0x8000
    call print
    mov si, newline
    call print
    mov al, 0x10
    out 0xf4, al
    hlt
failed:
    mov si, readerr
    call print
    mov al, 0x11
    out 0xf4, al
    hlt

print:              ; DS:SI NUL-terminated string to COM1
    lodsb
    test al, al
    jz .done
    mov bl, al
.wait:
    mov dx, 0x3fd
    in al, dx
    test al, 0x20
    jz .wait
    mov dx, 0x3f8
    mov al, bl
    out dx, al
    jmp print
.done:
    ret

drive:   db 0
hello:   db "BENCH-BOOT:", 0
readerr: db "READ-FAILED", 13, 10, 0
newline: db 13, 10, 0
align 4
dap:     db 0x10, 0       ; size, reserved
         dw 1             ; sectors
         dw 0x8000, 0     ; offset, segment
         dq 1             ; LBA
times 510-($-$$) db 0
dw 0xaa55
