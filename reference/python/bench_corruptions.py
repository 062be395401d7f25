"""The Python side of `folk-lab bench corruptions`: ImageNet-C's own code, image by image, on the same images.

For each corruption named on the command line as name:family, imports imagenet_c_<family>.py (the restatement of
hendrycks/robustness ImageNet-C/create_c/make_imagenet_c.py with the libraries it uses) and times
run(name, {'images': batch}, {'severity': s}) over the whole batch, the corruption drawing its own randomness as the
original does: the fastest of --repeats passes, after one warm-up call on the first image. A corruption whose module or function is missing, or
that fails, is reported with the reason instead of a time. Prints one JSON object:
{"seconds": {name: s}, "errors": {name: reason}, "versions": {...}}.

Usage: python3 bench_corruptions.py --images x.npy --severity 3 --threads 1 --repeats 3 --corruption gaussian_noise:noise ...
"""
import argparse
import importlib
import json
import os
import sys
import time


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--images', required=True)
    parser.add_argument('--severity', type=int, default=3)
    parser.add_argument('--threads', type=int, default=1)
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--repeats', type=int, default=1)
    parser.add_argument('--corruption', action='append', default=[])
    a = parser.parse_args()
    for variable in ('OMP_NUM_THREADS', 'OPENBLAS_NUM_THREADS', 'MKL_NUM_THREADS'):
        os.environ[variable] = str(a.threads)
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

    import numpy as np
    versions = {'numpy': np.__version__}
    try:
        import cv2
        cv2.setNumThreads(a.threads)
        versions['opencv'] = cv2.__version__
    except ImportError:
        pass
    for module in ('scipy', 'skimage', 'PIL'):
        try:
            versions[module] = importlib.import_module(module).__version__
        except ImportError:
            pass

    images = np.load(a.images)
    seconds, errors = {}, {}
    for entry in a.corruption:
        name, family = entry.split(':', 1)
        try:
            module = importlib.import_module('imagenet_c_' + family)
        except ImportError as e:
            errors[name] = f'no reference module imagenet_c_{family}.py ({e})'
            continue
        try:
            np.random.seed(a.seed)
            module.run(name, {'images': images[:1]}, {'severity': a.severity})
            for _ in range(a.repeats):
                start = time.perf_counter()
                module.run(name, {'images': images}, {'severity': a.severity})
                seconds[name] = min(seconds.get(name, float('inf')), time.perf_counter() - start)
        except KeyError as e:   # the module wants its random draws in the request
            errors[name] = (f'imagenet_c_{family}.run needs the draw {e} in the request; '
                            'to be timed here it should draw as the original does when the draw is absent')
        except Exception as e:  # report and go on with the next corruption
            errors[name] = f'{type(e).__name__}: {e}'.replace('\n', ' ')
    print(json.dumps({'seconds': seconds, 'errors': errors, 'versions': versions}))


if __name__ == '__main__':
    main()
