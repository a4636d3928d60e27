; Netroot lab UEFI program (\EFI\BOOT\BOOTX64.EFI): proves a UEFI client booted its SAN disk.
; A hand-made PE32+ image (x86-64, subsystem 10 = EFI application) with position-independent code:
; it prints a known line on COM1 by port I/O, then leaves QEMU through isa-debug-exit (port 0xf4,
; QEMU exits with status al*2+1: 0x10 -> 33 means success).
; It carries a base relocation directory with one empty block: EDK2's PE loader (OVMF) relocates
; images it cannot load at ImageBase and wants the directory present rather than "relocs stripped".
; Build: nasm -f bin -o BOOTX64.EFI bootx64.asm
bits 64
default rel

FILE_ALIGN  equ 0x200
SECT_ALIGN  equ 0x1000
TEXT_RVA    equ 0x1000
RELOC_RVA   equ 0x2000
IMAGE_SIZE  equ 0x3000

%define RVA_TEXT(label) (label - text_start + TEXT_RVA)

dos_header:
    db "MZ"
    times 0x3c - ($ - $$) db 0
    dd pe_header                    ; e_lfanew

pe_header:
    db "PE", 0, 0
    dw 0x8664                       ; Machine: x86-64
    dw 2                            ; NumberOfSections
    dd 0                            ; TimeDateStamp
    dd 0                            ; PointerToSymbolTable
    dd 0                            ; NumberOfSymbols
    dw optional_end - optional      ; SizeOfOptionalHeader
    dw 0x0222                       ; EXECUTABLE_IMAGE | LARGE_ADDRESS_AWARE | DEBUG_STRIPPED

optional:
    dw 0x20b                        ; PE32+
    db 0, 0                         ; linker version
    dd FILE_ALIGN                   ; SizeOfCode
    dd FILE_ALIGN                   ; SizeOfInitializedData
    dd 0                            ; SizeOfUninitializedData
    dd RVA_TEXT(efi_main)           ; AddressOfEntryPoint
    dd TEXT_RVA                     ; BaseOfCode
    dq 0x400000                     ; ImageBase
    dd SECT_ALIGN                   ; SectionAlignment
    dd FILE_ALIGN                   ; FileAlignment
    dw 0, 0, 0, 0, 0, 0             ; OS, image, subsystem versions
    dd 0                            ; Win32VersionValue
    dd IMAGE_SIZE                   ; SizeOfImage
    dd FILE_ALIGN                   ; SizeOfHeaders
    dd 0                            ; CheckSum
    dw 10                           ; Subsystem: EFI application
    dw 0                            ; DllCharacteristics
    dq 0x10000, 0x10000             ; stack reserve, commit
    dq 0x10000, 0                   ; heap reserve, commit
    dd 0                            ; LoaderFlags
    dd 16                           ; NumberOfRvaAndSizes
    ; data directories: export, import, resource, exception, certificate, base relocation, ...
    dq 0, 0, 0, 0, 0
    dd RELOC_RVA, reloc_end - reloc_start
    times 10 dq 0
optional_end:

section_headers:
    db ".text", 0, 0, 0
    dd text_end - text_start        ; VirtualSize
    dd TEXT_RVA                     ; VirtualAddress
    dd FILE_ALIGN                   ; SizeOfRawData
    dd text_start                   ; PointerToRawData
    dd 0, 0                         ; relocations, line numbers
    dw 0, 0
    dd 0x60000020                   ; CODE | EXECUTE | READ

    db ".reloc", 0, 0
    dd reloc_end - reloc_start
    dd RELOC_RVA
    dd FILE_ALIGN
    dd reloc_start
    dd 0, 0
    dw 0, 0
    dd 0x42000040                   ; INITIALIZED_DATA | DISCARDABLE | READ

    times FILE_ALIGN - ($ - $$) db 0

text_start:
; EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *st) -- MS x64 ABI
efi_main:
    push rbx
    push rsi
    lea rsi, [message]
.next:
    lodsb
    test al, al
    jz .done
    mov bl, al
    mov dx, 0x3fd                   ; line status register
.wait:
    in al, dx
    test al, 0x20                   ; transmit holding register empty
    jz .wait
    mov dx, 0x3f8
    mov al, bl
    out dx, al
    jmp .next
.done:
    mov al, 0x10
    out 0xf4, al                    ; isa-debug-exit: QEMU stops here
    pop rsi
    pop rbx
    xor eax, eax                    ; EFI_SUCCESS, if no debug-exit device is present
    ret

message:
    db 13, 10, "NETROOT-LAB UEFI BOOTX64.EFI running from the SAN disk", 13, 10
    db "NETROOT-LAB DONE", 13, 10, 0
text_end:
    times (text_start - $$) + FILE_ALIGN - ($ - $$) db 0

reloc_start:
    dd TEXT_RVA                     ; page RVA
    dd 12                           ; block size: header + two padding entries
    dw 0, 0                         ; IMAGE_REL_BASED_ABSOLUTE: no-ops
reloc_end:
    times (reloc_start - $$) + FILE_ALIGN - ($ - $$) db 0
