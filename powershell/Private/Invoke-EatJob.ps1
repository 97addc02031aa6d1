function Invoke-EatJob {
    <#
    .SYNOPSIS
        Runs a streaming operation of the native library: writes its items to the pipeline batch by
        batch as the library produces them, with Write-Progress, and cancels it when the pipeline stops.
    .DESCRIPTION
        `signIn` items become ExchangeAuthTools.SignIn objects; a `summary` item (the end result of
        a streamed summary) is written as it came, for the caller to convert; `problem` items (a record or file that
        could not be read) become non-terminating errors written through the calling cmdlet, so
        -ErrorAction and -ErrorVariable of the public command apply, with the file as target.
        Ctrl+C, Select-Object -First and a terminating error all leave through the finally block,
        which cancels the job (honoured within one batch) and frees it. NextBatch waits at most
        200 ms, so Ctrl+C is noticed even while the library reads a long stretch of input without
        a matching record. The end-of-run statistics
        are written with Write-Verbose.
    #>
    [CmdletBinding()]
    [OutputType('ExchangeAuthTools.SignIn')]
    param(
        [Parameter(Mandatory = $true)]
        [string]
        $Operation,

        [Parameter(Mandatory = $true)]
        [hashtable]
        $Parameters,

        [Parameter(Mandatory = $true)]
        [System.Management.Automation.PSCmdlet]
        $Cmdlet,

        [ValidateRange(1, 100000)]
        [int]
        $BatchSize = 256,

        [string]
        $Activity = (Get-EatString -Key 'ProgressReading')
    )

    $request = ConvertTo-EatRequest -Operation $Operation -Parameters $Parameters
    Write-Debug -Message ('eat_job_start {0}' -f (ConvertTo-EatRequest -Operation $Operation -Parameters (Hide-EatSecret -Parameters $Parameters)))
    $job = $null
    $clock = [System.Diagnostics.Stopwatch]::StartNew()
    try {
        $job = $script:EatNative.StartJob($request)
        while ($true) {
            # Wait at most 200 ms: while the library reads input that yields no item, the loop still
            # comes back here, so Ctrl+C is noticed and progress moves.
            $batch = $job.NextBatch($BatchSize, 200)
            if ($null -eq $batch) {
                break
            }
            if ($batch.Length -eq 0) {
                Write-EatProgress -Activity $Activity -Progress (ConvertFrom-Json -InputObject $job.Progress())
                continue
            }
            # Assigned, not piped: Windows PowerShell 5.1's ConvertFrom-Json writes a JSON array as one object.
            $items = ConvertFrom-Json -InputObject $batch
            $signIns = New-Object -TypeName 'System.Collections.Generic.List[object]'
            foreach ($item in $items) {
                switch ($item.kind) {
                    'signIn' {
                        $signIns.Add($item.value)
                    }
                    'summary' {
                        $item.value
                    }
                    'problem' {
                        $Cmdlet.WriteError((ConvertTo-EatProblemRecord -InputObject $item.value))
                    }
                    default {
                        Write-Debug -Message ('ignored item of kind {0}' -f $item.kind)
                    }
                }
            }
            if ($signIns.Count -gt 0) {
                ConvertTo-EatSignIn -InputObject $signIns.ToArray()
            }
            if ($clock.ElapsedMilliseconds -ge 250) {
                $clock.Reset()
                $clock.Start()
                Write-EatProgress -Activity $Activity -Progress (ConvertFrom-Json -InputObject $job.Progress())
            }
        }
        $summary = ConvertFrom-Json -InputObject $job.Summary()
        $stats = Get-EatJsonValue -InputObject $summary -Name 'stats'
        if ($null -ne $stats) {
            Write-Verbose -Message (Get-EatString -Key 'VerboseDone' -Values @{
                    operation = $Operation
                    files     = $stats.files
                    records   = $stats.records
                    skipped   = $stats.skipped
                    problems  = $stats.problems
                })
        }
    }
    finally {
        if ($null -ne $job) {
            if (-not $job.IsDone) {
                $job.Cancel()
            }
            $job.Dispose()
        }
        Write-Progress -Activity $Activity -Completed
    }
}

function Write-EatProgress {
    <#
    .SYNOPSIS
        Write-Progress from the library's progress JSON (activity, current, items, bytesDone, bytesTotal).
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)]
        [string]
        $Activity,

        [Parameter(Mandatory = $true)]
        [object]
        $Progress
    )

    $percent = -1
    $total = [double](Get-EatJsonValue -InputObject $Progress -Name 'bytesTotal')
    $done = [double](Get-EatJsonValue -InputObject $Progress -Name 'bytesDone')
    if ($total -gt 0 -and $done -gt 0) {
        $percent = [int][System.Math]::Min(100, [System.Math]::Floor(100 * $done / $total))
    }
    $status = Get-EatString -Key 'ProgressStatus' -Values @{
        items     = Get-EatJsonValue -InputObject $Progress -Name 'items'
        percent   = [System.Math]::Max(0, $percent)
        megabytes = [System.Math]::Round($total / 1048576, 1)
    }
    $current = [string](Get-EatJsonValue -InputObject $Progress -Name 'current')
    if ($total -le 0 -and $current) {
        # A live source (Graph pages, slices, throttle waits) has no byte count: its own line says it.
        Write-Progress -Activity $Activity -Status $current -PercentComplete -1
        return
    }
    if ($current) {
        Write-Progress -Activity $Activity -Status $status -CurrentOperation $current -PercentComplete $percent
    }
    else {
        Write-Progress -Activity $Activity -Status $status -PercentComplete $percent
    }
}
