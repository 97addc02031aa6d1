# Registry helpers (shared with Enable-OutlookModernAuth), and the facts about the admin's shell
# for the `exo.readiness` op (schema: the crate's src/exo/mod.rs, "Facts JSON (schemaVersion 1)").
# Every fact is gathered on its own, guarded: a fact that cannot be read is left out (the rules
# that need it stay silent), and nothing here fails on Linux or macOS, where the Windows-only facts
# (.NET Framework release, WinHTTP and Internet Options proxy, WinRM Basic) are not gathered.

# Module names near ExchangeOnlineManagement, for look-alike packages (the library decides which
# names are look-alikes by edit distance; this only has to cast the net wide enough).
$script:EatExoModulePatterns = @('*Exch*', '*Online*Manag*', '*OnlineMgmt*')

function Test-EatWindows {
    # $IsWindows does not exist on Windows PowerShell 5.1 (and StrictMode forbids reading it there).
    [System.Environment]::OSVersion.Platform -eq [System.PlatformID]::Win32NT
}

function Get-EatRegistryValue {
    # One registry value, or $null when the key or value is missing or unreadable.
    param(
        [string]
        $Path,

        [string]
        $Name
    )

    try {
        $item = Get-ItemProperty -LiteralPath $Path -Name $Name -ErrorAction Stop
        return $item.$Name
    }
    catch {
        return $null
    }
}

function Get-EatRegistryValueKind {
    # The type of a registry value as New-ItemProperty -PropertyType names it (DWord, String, ...),
    # or $null when the key or value is missing.
    param(
        [string]
        $Path,

        [string]
        $Name
    )

    try {
        return [string](Get-Item -LiteralPath $Path -ErrorAction Stop).GetValueKind($Name)
    }
    catch {
        return $null
    }
}

function ConvertTo-EatModuleFact {
    param(
        [AllowEmptyCollection()]
        [object[]]
        $Module
    )

    foreach ($m in $Module) {
        $prerelease = $null
        try {
            $prerelease = $m.PrivateData.PSData.Prerelease
        }
        catch {
            $prerelease = $null
        }
        @{
            name       = [string]$m.Name
            version    = [string]$m.Version
            prerelease = $(if ($prerelease) { [string]$prerelease } else { $null })
            guid       = [string]$m.Guid
            author     = [string]$m.Author
            path       = [string]$m.Path
        }
    }
}

function Get-EatWinHttpProxy {
    <#
    .SYNOPSIS
        The WinHTTP proxy ("netsh winhttp show proxy"), read from its registry value instead of
        netsh's output, which Windows translates (a Japanese Windows prints no "Proxy Server(s)").
    .DESCRIPTION
        WinHttpSettings (HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\Internet Settings\Connections)
        is the binary that netsh writes: DWORD size, DWORD counter, DWORD flags (bit 2 = proxy
        set), DWORD length, the proxy text. Missing value = direct access = $null.
    #>
    $bytes = Get-EatRegistryValue -Path 'HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\Internet Settings\Connections' -Name 'WinHttpSettings'
    if ($null -eq $bytes -or $bytes.Length -lt 16) {
        return $null
    }
    $flags = [System.BitConverter]::ToInt32($bytes, 8)
    $length = [System.BitConverter]::ToInt32($bytes, 12)
    if (($flags -band 2) -eq 0 -or $length -le 0 -or 16 + $length -gt $bytes.Length) {
        return $null
    }
    [System.Text.Encoding]::ASCII.GetString($bytes, 16, $length)
}

function Get-EatWinRmClientBasic {
    # WinRM client Basic authentication (what Exchange Online RPS-era scripts needed). The
    # AllowBasic policy wins over the local setting; the WSMan: drive needs the WinRM service, the
    # registry does not.
    $policy = Get-EatRegistryValue -Path 'HKLM:\SOFTWARE\Policies\Microsoft\Windows\WinRM\Client' -Name 'AllowBasic'
    if ($null -ne $policy) {
        return [bool]$policy
    }
    try {
        $item = Get-Item -Path 'WSMan:\localhost\Client\Auth\Basic' -ErrorAction Stop
        return [string]$item.Value -eq 'true'
    }
    catch {
        $local = Get-EatRegistryValue -Path 'HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\WSMAN\Client' -Name 'auth_basic'
        if ($null -ne $local) {
            return [bool]$local
        }
    }
    $null
}

function Get-EatExoFact {
    <#
    .SYNOPSIS
        The readiness facts of this shell as a hashtable (the op's facts object).
    #>
    [CmdletBinding()]
    [OutputType([hashtable])]
    param(
        [string]
        $UserPrincipalName,

        [AllowEmptyCollection()]
        [string[]]
        $ScriptPath = @()
    )

    $onWindows = Test-EatWindows
    $versionTable = $PSVersionTable
    $powerShell = @{
        edition       = $(if ($versionTable.ContainsKey('PSEdition')) { [string]$versionTable['PSEdition'] } else { 'Desktop' })
        version       = [string]$versionTable['PSVersion']
        os            = $(if ($versionTable.ContainsKey('OS')) { [string]$versionTable['OS'] } else { [System.Environment]::OSVersion.VersionString })
        dotNetVersion = [string][System.Environment]::Version
    }
    if ($versionTable.ContainsKey('Platform')) {
        $powerShell['platform'] = [string]$versionTable['Platform']
    }
    if ($onWindows -and $powerShell['edition'] -eq 'Desktop') {
        $release = Get-EatRegistryValue -Path 'HKLM:\SOFTWARE\Microsoft\NET Framework Setup\NDP\v4\Full' -Name 'Release'
        if ($null -ne $release) {
            $powerShell['dotNetFrameworkRelease'] = [int]$release
        }
    }

    $installed = @(Get-Module -ListAvailable -Name $script:EatExoModulePatterns -ErrorAction SilentlyContinue)
    $loaded = @(Get-Module -Name $script:EatExoModulePatterns -ErrorAction SilentlyContinue)
    $versions = {
        param([string] $Name)
        @(Get-Module -ListAvailable -Name $Name -ErrorAction SilentlyContinue | ForEach-Object -Process { [string]$_.Version })
    }

    $proxyEnv = @{}
    foreach ($name in @('HTTPS_PROXY', 'HTTP_PROXY', 'ALL_PROXY', 'NO_PROXY', 'https_proxy', 'http_proxy', 'all_proxy', 'no_proxy')) {
        $value = [System.Environment]::GetEnvironmentVariable($name)
        if ($value) {
            $proxyEnv[$name] = $value
        }
    }
    $proxy = @{ env = $proxyEnv }
    $winRm = @{}
    if ($onWindows) {
        $proxy['winHttp'] = Get-EatWinHttpProxy
        $internet = 'HKCU:\Software\Microsoft\Windows\CurrentVersion\Internet Settings'
        $enable = Get-EatRegistryValue -Path $internet -Name 'ProxyEnable'
        if ($null -ne $enable) {
            $proxy['ieProxyEnable'] = [bool]$enable
        }
        $proxy['ieProxyServer'] = Get-EatRegistryValue -Path $internet -Name 'ProxyServer'
        $proxy['ieAutoConfigUrl'] = Get-EatRegistryValue -Path $internet -Name 'AutoConfigURL'
        if ($powerShell['edition'] -eq 'Desktop') {
            $basic = Get-EatWinRmClientBasic
            if ($null -ne $basic) {
                $winRm['clientAllowBasic'] = $basic
            }
        }
    }

    $executionPolicy = @{}
    try {
        $executionPolicy['effective'] = [string](Get-ExecutionPolicy)
    }
    catch {
        Write-Debug -Message ('Get-ExecutionPolicy: {0}' -f $_)
    }

    $sessions = @()
    try {
        $sessions = @(Get-PSSession -ErrorAction Stop | ForEach-Object -Process {
                @{ configurationName = [string]$_.ConfigurationName; computerName = [string]$_.ComputerName; state = [string]$_.State }
            })
    }
    catch {
        Write-Debug -Message ('Get-PSSession: {0}' -f $_)
    }

    # Profile scripts (retired connection patterns such as New-PSSession to outlook.office365.com
    # live there) plus the scripts the admin names.
    $candidates = New-Object -TypeName 'System.Collections.Generic.List[string]'
    $profileVariable = Get-Variable -Name 'PROFILE' -Scope Global -ErrorAction SilentlyContinue
    if ($null -ne $profileVariable -and $null -ne $profileVariable.Value) {
        foreach ($name in @('AllUsersAllHosts', 'AllUsersCurrentHost', 'CurrentUserAllHosts', 'CurrentUserCurrentHost')) {
            $property = $profileVariable.Value.PSObject.Properties[$name]
            if ($null -ne $property -and $property.Value) {
                $candidates.Add([string]$property.Value)
            }
        }
    }
    foreach ($path in $ScriptPath) {
        $candidates.Add($path)
    }
    $scripts = @(foreach ($path in ($candidates | Select-Object -Unique)) {
            if (Test-Path -LiteralPath $path -PathType Leaf) {
                @{ path = $path; content = [System.IO.File]::ReadAllText($path) }
            }
        })

    $facts = @{
        schemaVersion     = 1
        collectedAt       = [datetime]::UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", [System.Globalization.CultureInfo]::InvariantCulture)
        computerName      = [System.Environment]::MachineName
        powerShell        = $powerShell
        modules           = @{
            installed = @(ConvertTo-EatModuleFact -Module $installed)
            loaded    = @(ConvertTo-EatModuleFact -Module $loaded)
        }
        packageManagement = @{
            powerShellGet     = @(& $versions 'PowerShellGet')
            psResourceGet     = @(& $versions 'Microsoft.PowerShell.PSResourceGet')
            packageManagement = @(& $versions 'PackageManagement')
        }
        tls               = @{ securityProtocol = [string][System.Net.ServicePointManager]::SecurityProtocol }
        proxy             = $proxy
        winRm             = $winRm
        executionPolicy   = $executionPolicy
        sessions          = $sessions
        scripts           = $scripts
    }
    if ($UserPrincipalName) {
        $facts['userPrincipalName'] = $UserPrincipalName
    }
    $facts
}
