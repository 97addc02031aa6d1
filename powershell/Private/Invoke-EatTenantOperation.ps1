function Invoke-EatTenantOperation {
    <#
    .SYNOPSIS
        Runs `exposure`, `guardrails` or `report` for a public command: terminating ErrorRecord on
        failure, the problems met while reading usage as non-terminating errors, -Verbose counts.
    #>
    [CmdletBinding()]
    [OutputType([object])]
    param(
        [Parameter(Mandatory = $true)]
        [System.Management.Automation.PSCmdlet]
        $Cmdlet,

        [Parameter(Mandatory = $true)]
        [string]
        $Operation,

        [Parameter(Mandatory = $true)]
        [hashtable]
        $Parameters,

        [string]
        $Language = (Get-EatLanguage)
    )

    try {
        $result = Invoke-EatOperation -Operation $Operation -Parameters $Parameters -Language $Language
    }
    catch {
        $Cmdlet.ThrowTerminatingError((ConvertTo-EatErrorRecord -ErrorRecord $_))
    }
    # Not every op has problems and stats (exo.readiness has neither; registry.check counts files
    # and hives, not records).
    Write-EatProblem -Cmdlet $Cmdlet -Problems (Get-EatJsonValue -InputObject $result -Name 'problems')
    $stats = Get-EatJsonValue -InputObject $result -Name 'stats'
    if ($null -ne (Get-EatJsonValue -InputObject $stats -Name 'records')) {
        Write-Verbose -Message (Get-EatString -Key 'VerboseDone' -Values @{
                operation = $Cmdlet.MyInvocation.MyCommand.Name
                files     = $stats.files
                records   = $stats.records
                skipped   = $stats.skipped
                problems  = $stats.problems
            })
    }
    $result
}

function Write-EatProblem {
    <#
    .SYNOPSIS
        The library's problem log {"total": N, "kept": [...]} as non-terminating errors, and a warning
        when more problems were found than kept.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)]
        [System.Management.Automation.PSCmdlet]
        $Cmdlet,

        [AllowNull()]
        [object]
        $Problems
    )

    if ($null -eq $Problems) {
        return
    }
    # {"total": N, "kept": [...]} (sign-in reading keeps the first 1,000) or a plain array.
    $keptProperty = Get-EatJsonValue -InputObject $Problems -Name 'kept'
    $total = Get-EatJsonValue -InputObject $Problems -Name 'total'
    if ($null -eq $keptProperty -and $null -eq $total) {
        $keptProperty = $Problems
    }
    $kept = @($keptProperty | Where-Object -FilterScript { $null -ne $_ })
    foreach ($problem in $kept) {
        $Cmdlet.WriteError((ConvertTo-EatProblemRecord -InputObject $problem))
    }
    if ($null -eq $total) {
        return
    }
    if ($total -gt $kept.Count) {
        Write-Warning -Message (Get-EatString -Key 'ProblemsNotShown' -Values @{ hidden = $total - $kept.Count; kept = $kept.Count })
    }
}
