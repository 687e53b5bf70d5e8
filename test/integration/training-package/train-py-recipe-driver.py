"""Driver of train-py-recipe.test.ts: runs cnnstudio_package's recipe pieces on the job's inputs.

argv[1]: the python folder (cnnstudio_package.py); argv[2]: a job JSON {"schedules": [{config, steps, stepsPerEpoch,
totalSteps}], "augments": [{config, shape, image, draws: {uniform: [...], int: [...]}}], "clips": [{grads, maxNorm}]}.
Prints one JSON line with the learning rates, augmented images and clipped gradients.
"""
import json
import sys

import torch

sys.path.insert(0, sys.argv[1])
import cnnstudio_package as cs  # noqa: E402
import numpy as np  # noqa: E402


class Draws:
    """A stand-in for numpy's Generator that returns the test's draws (random() and integers(n))."""

    def __init__(self, draws):
        self.uniform, self.ints = list(draws["uniform"]), list(draws["int"])

    def random(self):
        return self.uniform.pop(0)

    def integers(self, n):
        v = self.ints.pop(0)
        assert 0 <= v < n
        return v


def main():
    job = json.load(open(sys.argv[2]))
    rates = [[cs.learning_rate_at(s["config"]["learningRate"], s["config"]["schedule"], s["config"]["warmupSteps"],
                                  step, s["stepsPerEpoch"], s["totalSteps"]) for step in s["steps"]]
             for s in job["schedules"]]
    images = []
    for a in job["augments"]:
        x = np.array(a["image"], dtype=np.float32).reshape(a["shape"])
        images.append(cs.augment_image(x, a["config"], Draws(a["draws"])).reshape(-1).tolist())
    clips = []
    for c in job["clips"]:
        p = torch.nn.Parameter(torch.zeros(len(c["grads"])))
        p.grad = torch.tensor(c["grads"], dtype=torch.float32)
        norm = cs.clip_grad_norm([p], c["maxNorm"])
        clips.append({"norm": norm, "grads": p.grad.tolist()})
    print(json.dumps({"rates": rates, "images": images, "clips": clips}))


if __name__ == "__main__":
    main()
