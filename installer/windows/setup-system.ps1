<#
  Proxmox Sleep Agent: the parts of the Windows install that need administrator rights (run by the
  installer, installer.nsh). Safe to run again (repair): every step replaces what an earlier run made.

  1. C:\ProgramData\ProxmoxSleep, where the tray (running as the user) writes status.json for the host:
     SYSTEM and Administrators have full control; Users may create and replace files inside it (the tray's
     atomic writes) but not delete or rename the folder itself, so nobody can swap it for a junction.
       state\   the block override (block.json): the same rights as the top folder.
       system\  written by SYSTEM only (the power-request list); Users may only read it.
  2. The scheduled task \ProxmoxSleep\PowerRequests, running as SYSTEM: `powercfg /requests` needs
     administrator rights, so this task runs `proxmox-sleep-agent power-requests`, which writes the parsed
     list to system\power-requests.json every intervalSeconds for the tray to merge. It starts at boot, is
     restarted if it stops, and a five-minute trigger starts it again should it ever have ended.
  3. <app>\resources\windows on the system PATH, so `proxmox-sleep-agent` works for the host (QGA exec).
#>
param([Parameter(Mandatory = $true)][string]$InstallDir)
$ErrorActionPreference = 'Stop'

$data = Join-Path $env:ProgramData 'ProxmoxSleep'
$state = Join-Path $data 'state'
$system = Join-Path $data 'system'
foreach ($dir in @($data, $state, $system)) {
  if ((Test-Path -LiteralPath $dir) -and ((Get-Item -LiteralPath $dir -Force).Attributes -band [IO.FileAttributes]::ReparsePoint)) {
    throw "$dir is a link or junction; remove it and run the installer again"
  }
  New-Item -ItemType Directory -Force -Path $dir | Out-Null
}

$system32 = [Environment]::GetFolderPath('System')
$icacls = Join-Path $system32 'icacls.exe'
function Set-FolderRights([string]$Path, [string[]]$Grants) {
  & $icacls $Path /inheritance:r /grant:r @Grants | Out-Null
  if ($LASTEXITCODE -ne 0) { throw "icacls $Path failed ($LASTEXITCODE)" }
}
# SIDs, not names: account names are localised. S-1-5-18 SYSTEM, S-1-5-32-544 Administrators, S-1-5-32-545 Users.
$admin = @('*S-1-5-18:(OI)(CI)F', '*S-1-5-32-544:(OI)(CI)F')
$userWritable = $admin + @('*S-1-5-32-545:(RX,WD,AD)', '*S-1-5-32-545:(OI)(IO)M')
Set-FolderRights $data $userWritable
Set-FolderRights $state $userWritable
Set-FolderRights $system ($admin + @('*S-1-5-32-545:(OI)(CI)RX'))

$cli = Join-Path $InstallDir 'resources\windows\proxmox-sleep-agent.cmd'
$cmd = Join-Path $system32 'cmd.exe'
$action = New-ScheduledTaskAction -Execute $cmd -Argument ('/d /c ""{0}" power-requests"' -f $cli)
$triggers = @(
  (New-ScheduledTaskTrigger -AtStartup),
  (New-ScheduledTaskTrigger -Once -At (Get-Date) -RepetitionInterval (New-TimeSpan -Minutes 5))
)
$settings = New-ScheduledTaskSettingsSet -MultipleInstances IgnoreNew -ExecutionTimeLimit ([TimeSpan]::Zero) `
  -RestartCount 999 -RestartInterval (New-TimeSpan -Minutes 1) -StartWhenAvailable `
  -AllowStartIfOnBatteries -DontStopIfGoingOnBatteries
$principal = New-ScheduledTaskPrincipal -UserId 'SYSTEM' -LogonType ServiceAccount -RunLevel Highest
Register-ScheduledTask -TaskPath '\ProxmoxSleep\' -TaskName 'PowerRequests' -Action $action -Trigger $triggers `
  -Settings $settings -Principal $principal -Force `
  -Description 'Writes the parsed powercfg /requests for the Proxmox Sleep tray (see docs/tray.md).' | Out-Null
Start-ScheduledTask -TaskPath '\ProxmoxSleep\' -TaskName 'PowerRequests'

$bin = Join-Path $InstallDir 'resources\windows'
$path = [Environment]::GetEnvironmentVariable('Path', 'Machine')
if (-not (($path -split ';') -contains $bin)) {
  [Environment]::SetEnvironmentVariable('Path', ($path.TrimEnd(';') + ';' + $bin), 'Machine')
}
