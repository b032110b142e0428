; Proxmox Sleep Agent: electron-builder NSIS hooks (electron-builder.yml nsis.include). The per-machine
; installer runs elevated; the steps that need administrator rights live in setup-system.ps1 (folder
; rights for the status file, the SYSTEM task for power requests, PATH), undone by remove-system.ps1.

!include LogicLib.nsh

; 64-bit PowerShell from the 32-bit installer: SysNative bypasses the WOW64 redirection of System32.
!macro ProxmoxSleepPowerShell SCRIPT
  StrCpy $R9 "$WINDIR\SysNative\WindowsPowerShell\v1.0\powershell.exe"
  ${IfNot} ${FileExists} "$R9"
    StrCpy $R9 "$SYSDIR\WindowsPowerShell\v1.0\powershell.exe"
  ${EndIf}
  nsExec::ExecToLog '"$R9" -NoProfile -NonInteractive -ExecutionPolicy Bypass -File "$INSTDIR\resources\windows\${SCRIPT}" -InstallDir "$INSTDIR"'
  Pop $R8
!macroend

; The SYSTEM task runs this app's executable (in Node mode): stop it before files are replaced or removed,
; or the installer's "app is running" check would find it and the files would be in use.
!macro ProxmoxSleepStopTask
  nsExec::Exec '"$SYSDIR\schtasks.exe" /Change /TN "\ProxmoxSleep\PowerRequests" /DISABLE'
  Pop $R8
  nsExec::Exec '"$SYSDIR\schtasks.exe" /End /TN "\ProxmoxSleep\PowerRequests"'
  Pop $R8
!macroend

!macro customInit
  !insertmacro ProxmoxSleepStopTask
!macroend

!macro customUnInit
  !insertmacro ProxmoxSleepStopTask
!macroend

!macro customInstall
  DetailPrint "Proxmox Sleep: status folder rights, power-request task, PATH"
  !insertmacro ProxmoxSleepPowerShell "setup-system.ps1"
  ${If} $R8 != "0"
    DetailPrint "Proxmox Sleep: system setup failed ($R8)"
    MessageBox MB_OK|MB_ICONEXCLAMATION "Proxmox Sleep Agent is installed, but its system setup failed ($R8).$\r$\nThe host may not see this computer's status or power requests.$\r$\nRun the installer again, or see docs/tray.md (Windows)." /SD IDOK
  ${EndIf}
!macroend

!macro customUnInstall
  !insertmacro ProxmoxSleepPowerShell "remove-system.ps1"
!macroend
