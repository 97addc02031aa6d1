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
    Write-EatProblem -Cmdlet $Cmdlet -Problems $result.problems
    if ($null -ne $result.stats) {
        Write-Verbose -Message (Get-EatString -Key 'VerboseDone' -Values @{
                operation = $Cmdlet.MyInvocation.MyCommand.Name
                files     = $result.stats.files
                records   = $result.stats.records
                skipped   = $result.stats.skipped
                problems  = $result.stats.problems
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
    $kept = @($Problems.kept | Where-Object -FilterScript { $null -ne $_ })
    foreach ($problem in $kept) {
        $Cmdlet.WriteError((ConvertTo-EatProblemRecord -InputObject $problem))
    }
    if ($Problems.total -gt $kept.Count) {
        Write-Warning -Message (Get-EatString -Key 'ProblemsNotShown' -Values @{ hidden = $Problems.total - $kept.Count; kept = $kept.Count })
    }
}
