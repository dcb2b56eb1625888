/// `explain` topics of running evaluations elsewhere: executors and job folders.
enum ClusterExecutionTopics {
  /// Executors (`executor=local|slurm`).
  static let executor = ExplainTopic(
    name: "executor", summary: "where blend and sensitivity evaluations run (local, Slurm)",
    text: """
      A blend evaluates every generation's genomes, a sensitivity sweep every group at every
      ratio: each evaluation is independent, a pure function of (model, images, masks).
      executor=local (the default) runs them in this process. executor=slurm writes each
      generation (a sweep: all its cases) as a job folder and submits one `sbatch --array`
      with tasks= array tasks (partition=, time= as Slurm takes them, e.g. time="30:00");
      each task runs `shears worker FOLDER/round-R --task N` on its shard. Shears follows the
      array with squeue and scontrol show job and reads the result files, checks their
      content hashes and keep-mask hashes against what it asked, re-submits a failed or lost
      task up to retries= times, and cancels the array (scancel) on Ctrl-C. The figures are
      the same bits either way: the executor options are not part of the statement's
      randomness key, and a replay runs Slurm cells in process unless --executor recorded.
      The cell says which executor ran (executor: slurm — rounds, jobs, re-submissions,
      seconds from submission to results). The job folder must be on a file system the
      compute nodes share: workdir=, else $SHEARS_WORKDIR, else $XDG_CACHE_HOME/shears/jobs
      (~/.cache/shears/jobs); it is removed after success and kept after a failure. Workers
      run the shears binary of this process, or $SHEARS_EXECUTABLE (see `explain jobs`).
      """)

  /// Job folders and `shears worker`.
  static let jobs = ExplainTopic(
    name: "jobs", summary: "job folders and shears worker (executor=slurm)",
    text: """
      A job folder holds job.json (the manifest: format, kind, threads, batch size, image
      shape, and every shared file with its FNV-1a-64 content hash and size), model.ck (the
      checkpoint format of save), images.bin and recalibration.bin (the exact Float32 images
      and Int32 labels, little-endian), problem.json (the blend's space: groups, candidates'
      normalised scores, channels removed) and one folder per round: shard-N.json (task N's
      genomes or cases, with the manifest's hash), result-N.json (written atomically by the
      worker: per item the keep-mask hash and the accuracy and loss as IEEE-754 bit patterns,
      with the hashes of the shard, manifest, model and images it read), error-N.txt (the
      worker's message when it failed), task.sh and slurm-JOB_N.out. `shears worker
      FOLDER/round-R --task N` checks every file against the manifest before it evaluates, with
      the manifest's thread count, exactly as the in-process evaluation does: same folder, same
      bits. A damaged or missing file fails the task with status 1 and a message naming it.
      """)
}
