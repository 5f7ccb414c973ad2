"""Transform template.yaml as CloudFormation's SAM transform would, with the SAM CLI's own
samtranslator (in its tool environment under .tools/, not the project's): the check that
`sam validate --lint` does not make (an intrinsic SAM rejects still lints clean)."""

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

# Not infra.local.processes.ROOT: this file also runs as a script under the SAM CLI's
# interpreter, which has none of the project on its path.
ROOT = Path(__file__).resolve().parents[2]
# The SAM CLI's tool environment (`make sam-tools`), with its own samtranslator.
SAM_TOOL_DIR = ROOT / ".tools" / "uv-tools"
SAM_PYTHON = SAM_TOOL_DIR / "aws-sam-cli" / "bin" / "python"


def transformed(parameters: dict[str, str], template: Path = ROOT / "template.yaml") -> Any:
    """The CloudFormation template SAM makes of `template` with these parameter values."""
    if not SAM_PYTHON.exists():
        raise RuntimeError(f"no SAM CLI at {SAM_PYTHON}: run `make sam-tools`")
    done = subprocess.run(
        [str(SAM_PYTHON), __file__, str(template), json.dumps(parameters)],
        env={**os.environ, "AWS_DEFAULT_REGION": "us-east-1"},
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        raise AssertionError(f"SAM transform failed:\n{done.stderr}")
    return json.loads(done.stdout)


def _main(template_path: str, parameters: str) -> None:
    """Run under the SAM CLI's interpreter: print the transformed template as JSON."""
    from unittest import mock

    from samtranslator.translator.transform import transform  # type: ignore[import-not-found]
    from samtranslator.yaml_helper import yaml_parse  # type: ignore[import-not-found]

    template = yaml_parse(Path(template_path).read_text())
    for resource in template["Resources"].values():
        if resource["Type"] == "AWS::Serverless::Function":
            # What sam validate does too: the transform wants an S3 location, not a folder.
            resource["Properties"]["CodeUri"] = "s3://bucket/key"
    policies = mock.Mock()
    policies.load.return_value = {}  # no IAM call: managed policy names stay names
    print(json.dumps(transform(template, json.loads(parameters), policies), default=str))


if __name__ == "__main__":
    _main(*sys.argv[1:3])
