// Compares two generated project folders by what the hardware would hold: builds and runs both in the harness (the
// candidate with the reference's known answer in memory) and compares the images.
import { CompareOptions, ImageComparison, compareProjectImages } from './compareImages';
import { ImageError } from './imageError';
import { ProjectImage, ProjectImageOptions, projectImage } from './projectImage';

export interface ProjectComparison extends ImageComparison {
  reference: ProjectImage;
  candidate: ProjectImage;
}

export type CompareProjectsOptions = Omit<ProjectImageOptions, 'knownAnswerFrom'> & CompareOptions;

/**
 * Both harness runs go on at once. A failure of either (it does not compile, it hangs) stops the other and rejects
 * with an ImageError that says which project failed.
 */
export async function compareProjects(referenceDir: string, candidateDir: string, opts: CompareProjectsOptions = {}): Promise<ProjectComparison> {
  const both = new AbortController();
  const onCancel = () => both.abort();
  opts.signal?.addEventListener('abort', onCancel, { once: true });
  const run = (dir: string, which: string, extra: ProjectImageOptions) =>
    projectImage(dir, { ...opts, ...extra, signal: both.signal }).catch((e: unknown) => {
      both.abort();
      if (e instanceof ImageError && e.problem !== 'cancelled') throw new ImageError(e.problem, `${which}: ${e.message}`);
      throw e;
    });
  try {
    const settled = await Promise.allSettled([
      run(referenceDir, opts.referenceName ?? 'the reference', {}),
      run(candidateDir, opts.candidateName ?? 'the candidate', { knownAnswerFrom: referenceDir }),
    ]);
    const failed =
      settled.find((s) => s.status === 'rejected' && !(s.reason instanceof ImageError && s.reason.problem === 'cancelled')) ??
      settled.find((s) => s.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason;
    const [reference, candidate] = settled.map((s) => (s as PromiseFulfilledResult<ProjectImage>).value);
    return { ...compareProjectImages(reference, candidate, opts), reference, candidate };
  } finally {
    opts.signal?.removeEventListener('abort', onCancel);
  }
}
