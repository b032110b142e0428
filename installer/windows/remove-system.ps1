<#
  Proxmox Sleep Agent: undoes setup-system.ps1 when the app is uninstalled (run by installer.nsh). The
  folder C:\ProgramData\ProxmoxSleep stays: it holds agent.json and the block override, which a
  reinstall should find again; delete it by hand to remove every trace.
#>
param([Parameter(Mandatory = $true)][string]$InstallDir)
$ErrorActionPreference = 'Continue'

Unregister-ScheduledTask -TaskPath '\ProxmoxSleep\' -TaskName 'PowerRequests' -Confirm:$false -ErrorAction SilentlyContinue
Remove-Item -LiteralPath (Join-Path $env:ProgramData 'ProxmoxSleep\system\power-requests.json') -Force -ErrorAction SilentlyContinue

$bin = Join-Path $InstallDir 'resources\windows'
$path = [Environment]::GetEnvironmentVariable('Path', 'Machine')
$kept = ($path -split ';') | Where-Object { $_ -and ($_ -ne $bin) }
[Environment]::SetEnvironmentVariable('Path', ($kept -join ';'), 'Machine')
