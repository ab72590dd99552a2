package dev.jpyxis.domain.port.in;

/**
 * Checks the container options of a submission (srun, sbatch, salloc) before anything is submitted, exactly as
 * pyxis's option callbacks and {@code init_post_opt} do on the submit side.
 */
public interface ValidateSubmission {

    SubmissionCheck validate(SubmitRequest request);
}
