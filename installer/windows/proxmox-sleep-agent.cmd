@echo off
rem proxmox-sleep-agent from the tray package (status, check, block, notify, hibernate, power-requests ...):
rem the bundled CLI run by the app's own Electron in Node mode. Installed in <app>\resources\windows and put
rem on the system PATH by setup-system.ps1. From the host: cmd.exe /c proxmox-sleep-agent <command>
setlocal
set "ELECTRON_RUN_AS_NODE=1"
rem The SYSTEM task's power-requests stays resident: it has its own small script.
set "script=proxmox-sleep-agent.js"
if /i "%~1"=="power-requests" set "script=power-requests.js"
"%~dp0..\..\Proxmox Sleep Agent.exe" "%~dp0..\cli\%script%" %*
exit /b %ERRORLEVEL%
