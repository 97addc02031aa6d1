function Export-LegacyAuthReport {
    <#
    .SYNOPSIS
        Writes the legacy authentication report a manager can read: one self-contained HTML page, or
        the same data as CSV (for Excel) or JSON.

    .DESCRIPTION
        Builds the report from the legacy sign-ins (sign-in files with -Path, or the
        ExchangeAuthTools.UsageSummary objects of Measure-LegacyAuthUsage from the pipeline) and,
        when given, the mailbox exposure (-Mailbox and the other Exchange inputs, as for
        Get-LegacyProtocolExposure), the Conditional Access check (-Policy / -PolicyPath,
        -SecurityDefaults, as for Test-LegacyAuthBlock) and readiness findings (-Finding).

        The format follows the extension of -OutFile (.html or .htm, .csv, .json) unless -Format
        says otherwise. The HTML page has no external references (styles, scripts and charts are
        inside), so it can be mailed or put on a file share. The CSV is UTF-8 with a BOM so that
        Excel shows Japanese correctly. The text is in the language of -Culture (English, or
        Japanese for ja-JP), the UI culture by default.

        An existing file is overwritten; -WhatIf and -Confirm are honoured. Returns the FileInfo of
        the file written.

    .PARAMETER Path
        Sign-in log files or folders, or summary JSON files. Wildcards are allowed. Objects from
        Get-ChildItem bind by their FullName.

    .PARAMETER Usage
        ExchangeAuthTools.UsageSummary objects from Measure-LegacyAuthUsage (any grouping; rows per
        user and protocol give the most complete report). Takes pipeline input.

    .PARAMETER OutFile
        The file to write.

    .PARAMETER Format
        Html, Csv or Json. By default taken from the extension of -OutFile.

    .PARAMETER Culture
        The report language: ja-JP for Japanese, anything else for English. Default: $PSUICulture.

    .PARAMETER Mailbox
        CAS mailbox objects (Get-EXOCASMailbox -PropertySets All -Properties
        SmtpClientAuthenticationDisabled), or the path of an export of them: adds the per-mailbox
        exposure section.

    .PARAMETER AuthenticationPolicy
        Authentication policy objects (Get-AuthenticationPolicy), or the path of an export of them.

    .PARAMETER User
        User objects with their AuthenticationPolicy (Get-User), or the path of an export of them.

    .PARAMETER TransportConfig
        The Get-TransportConfig object, or the path of an export of it.

    .PARAMETER OrganizationConfig
        The Get-OrganizationConfig object, or the path of an export of it.

    .PARAMETER Policy
        Conditional Access policy objects (Get-MgIdentityConditionalAccessPolicy): adds the
        "is legacy authentication blocked" section.

    .PARAMETER PolicyPath
        A JSON export of Graph identity/conditionalAccess/policies, instead of -Policy.

    .PARAMETER SecurityDefaults
        $true or $false, or the Get-MgPolicyIdentitySecurityDefaultEnforcementPolicy object.

    .PARAMETER Finding
        ExchangeAuthTools.Finding objects (readiness checks) to include in the report.

    .PARAMETER UnusedDays
        Days of usage needed before an unused protocol is called safe to disable (default 30).

    .EXAMPLE
        Export-LegacyAuthReport -Path .\SignInLogs -OutFile .\legacy-auth.html

        The report of the sign-in logs in .\SignInLogs, in the UI language.

    .EXAMPLE
        Measure-LegacyAuthUsage .\SignInLogs | Export-LegacyAuthReport -OutFile .\legacy-auth-ja.html -Culture ja-JP -Mailbox (Get-EXOCASMailbox -ResultSize Unlimited -PropertySets All -Properties SmtpClientAuthenticationDisabled) -TransportConfig (Get-TransportConfig) -PolicyPath .\ca-policies.json

        The full report in Japanese: usage, mailbox exposure and the Conditional Access check.

    .EXAMPLE
        Export-LegacyAuthReport -Path .\SignInLogs -OutFile .\legacy-auth.csv

        The same data as CSV for Excel (UTF-8 with BOM).

    .INPUTS
        ExchangeAuthTools.UsageSummary. System.IO.FileInfo (by FullName).

    .OUTPUTS
        System.IO.FileInfo

    .LINK
        https://github.com/exchange-auth-tools/exchange-auth-tools#powershell-module

    .LINK
        Measure-LegacyAuthUsage

    .LINK
        Get-LegacyProtocolExposure

    .LINK
        Test-LegacyAuthBlock
    #>
    [CmdletBinding(DefaultParameterSetName = 'Path', SupportsShouldProcess = $true)]
    [OutputType([System.IO.FileInfo])]
    param(
        [Parameter(Mandatory = $true, Position = 0, ParameterSetName = 'Path', ValueFromPipelineByPropertyName = $true)]
        [Alias('FullName')]
        [SupportsWildcards()]
        [ValidateNotNullOrEmpty()]
        [string[]]
        $Path,

        # Typed, so that piped Get-ChildItem output binds to -Path (by FullName), not here.
        [Parameter(Mandatory = $true, ParameterSetName = 'Usage', ValueFromPipeline = $true)]
        [PSTypeName('ExchangeAuthTools.UsageSummary')]
        [AllowEmptyCollection()]
        [psobject[]]
        $Usage,

        [Parameter(Mandatory = $true)]
        [ValidateNotNullOrEmpty()]
        [string]
        $OutFile,

        [ValidateSet('Html', 'Csv', 'Json')]
        [string]
        $Format,

        [ValidateNotNullOrEmpty()]
        [string]
        $Culture = $PSUICulture,

        [object[]]
        $Mailbox,

        [object[]]
        $AuthenticationPolicy,

        [object[]]
        $User,

        [object]
        $TransportConfig,

        [object]
        $OrganizationConfig,

        [object[]]
        $Policy,

        [ValidateNotNullOrEmpty()]
        [string]
        $PolicyPath,

        [object]
        $SecurityDefaults,

        [object[]]
        $Finding,

        [ValidateRange(1, 3650)]
        [int]
        $UnusedDays = 30
    )

    begin {
        $paths = New-Object -TypeName 'System.Collections.Generic.List[string]'
        $rows = New-Object -TypeName 'System.Collections.Generic.List[object]'
    }

    process {
        foreach ($resolved in @(Resolve-EatInputPath -Cmdlet $PSCmdlet -Path $Path)) {
            $paths.Add($resolved)
        }
        foreach ($row in @($Usage | Where-Object -FilterScript { $null -ne $_ })) {
            $rows.Add($row)
        }
    }

    end {
        if ($PSCmdlet.ParameterSetName -eq 'Path' -and $paths.Count -eq 0) {
            # Every path was reported as an error already.
            Write-Verbose -Message (Get-EatString -Key 'NoInput')
            return
        }
        $target = $PSCmdlet.GetUnresolvedProviderPathFromPSPath($OutFile)
        $kind = $Format
        if (-not $kind) {
            $extension = [System.IO.Path]::GetExtension($target).ToLowerInvariant()
            if (@('.html', '.htm') -contains $extension) {
                $kind = 'Html'
            }
            elseif ($extension -eq '.csv') {
                $kind = 'Csv'
            }
            elseif ($extension -eq '.json') {
                $kind = 'Json'
            }
            else {
                $message = Get-EatString -Key 'ReportFormatUnknown' -Values @{ path = $OutFile }
                $PSCmdlet.ThrowTerminatingError((New-EatErrorRecord -Message $message -ErrorId 'ReportFormatUnknown' -Category InvalidArgument -TargetObject $OutFile))
            }
        }
        $language = Get-EatLanguage -Culture $Culture
        if (-not $PSCmdlet.ShouldProcess($target, (Get-EatString -Key 'WriteReport' -Values @{ format = $kind; culture = $language }))) {
            return
        }
        $inputs = Copy-EatBoundParameter -BoundParameters $PSBoundParameters
        $inputs.Remove('Path')
        if ($PSCmdlet.ParameterSetName -eq 'Usage') {
            $inputs['Usage'] = $rows.ToArray()
        }
        $inputs['UnusedDays'] = $UnusedDays
        $parameters = ConvertTo-EatTenantParameter -Cmdlet $PSCmdlet -Inputs $inputs
        if ($paths.Count -gt 0) {
            $parameters['usage'] = $paths.ToArray()
        }
        # The op's outputs: out (HTML), csv, json.
        $outputKey = @{ Html = 'out'; Csv = 'csv'; Json = 'json' }
        $parameters[$outputKey[$kind]] = $target
        $null = Invoke-EatTenantOperation -Cmdlet $PSCmdlet -Operation 'report' -Parameters $parameters -Language $language
        Get-Item -LiteralPath $target
    }
}
