#!/bin/bash
# Slurm array job: 16 tasks, each syncing one shard. Slurm sets SLURM_ARRAY_TASK_ID (0..15)
# and SLURM_ARRAY_TASK_COUNT (16); cpsync --shard auto/16 reads them and refuses to run if
# the array's size is not 16. Resubmit failed tasks alone with --array=<ids>.
#
#   sbatch slurm-array.sh
#SBATCH --job-name=cpsync-sync-logs
#SBATCH --array=0-15
#SBATCH --ntasks=1
#SBATCH --cpus-per-task=2
#SBATCH --mem=2G
#SBATCH --time=24:00:00
#SBATCH --output=cpsync-%A_%a.log
set -euo pipefail

exec cpsync --config "${CPSYNC_CONFIG_FILE:-$HOME/.config/cpsync/cpsync.conf}" \
  sync aws:src-bucket/logs oss:dst-bucket/logs \
  --shard auto/16 --transfers 8 \
  --state-dir "${SLURM_SUBMIT_DIR:-$HOME}/.cpsync-state"
