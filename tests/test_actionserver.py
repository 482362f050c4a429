"""The action server adds the domain of the served model to requests Rasa sends without one."""

from __future__ import annotations

import io
import os
import tarfile
from pathlib import Path

import pytest
from rasa.shared.core.domain import Domain

from bot.actionserver import MODEL_DOMAIN, ModelDomain
from bot.settings import ROOT

MODEL = ROOT / "models" / "current.tar.gz"


def _model(path: Path, domain_yaml: str | None) -> Path:
    """A model archive holding `domain_yaml` where Rasa stores the domain (nothing else is read)."""
    with tarfile.open(path, "w:gz") as archive:
        if domain_yaml is not None:
            data = domain_yaml.encode()
            info = tarfile.TarInfo(MODEL_DOMAIN)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return path


RESPONSES = 'version: "3.1"\nresponses:\n  utter_hej:\n  - text: "{}"\n'


def test_the_domain_is_read_from_the_model_and_again_when_the_model_changes(tmp_path: Path) -> None:
    model = _model(tmp_path / "m.tar.gz", RESPONSES.format("Hej!"))
    domain = ModelDomain(model)
    first = domain.get()
    assert first is not None and first["responses"]["utter_hej"] == [{"text": "Hej!"}]
    assert domain.get() is first  # read once
    _model(model, RESPONSES.format("Hej igen, en ny modell!"))
    os.utime(model, (1, 1))  # another file, also when written within the same clock tick
    second = domain.get()
    assert second is not None and second["responses"]["utter_hej"] == [{"text": "Hej igen, en ny modell!"}]


def test_no_model_or_no_domain_in_it_gives_none(tmp_path: Path) -> None:
    assert ModelDomain(tmp_path / "missing.tar.gz").get() is None
    assert ModelDomain(_model(tmp_path / "empty.tar.gz", None)).get() is None
    (tmp_path / "broken.tar.gz").write_bytes(b"not a tar file")
    assert ModelDomain(tmp_path / "broken.tar.gz").get() is None


@pytest.mark.skipif(not MODEL.exists(), reason="needs the trained model (make train)")
def test_the_trained_models_domain_is_the_one_rasa_would_send() -> None:
    found = ModelDomain(MODEL).get()
    assert found is not None
    assert found == Domain.load(str(ROOT / "domain")).as_dict()
