"""The glossary helps a name Whisper would misspell and never replaces speech: what is sent
as hotwords is bounded, and a decode the hotwords take over is done again without them
(real model, real clips, file and live mode)."""

from __future__ import annotations

import pytest

from tests.conftest import reference
from tests.textnorm import cer, wer, words
from whispertrans_tray.__main__ import build_file_recognizer, build_recognizer
from whispertrans_tray.app import live
from whispertrans_tray.core.types import Sentence
from whispertrans_tray.providers import asr_faster_whisper, glossary_hints
from whispertrans_tray.settings import AsrSettings

GALAXY = [f"Galaxy S{n}{v}" for n in range(24, 14, -1) for v in ("", "+", " Ultra")]
NUMBERED = [f"Product {n:03d}" for n in range(100)]
TEN_THOUSAND = [f"term{n} name{n}" for n in range(10_000)]
LARGE = ["Kubernetes", "Grafana", *GALAXY, *NUMBERED, *TEN_THOUSAND]
GREEK = [f"Galaxy {name}" for name in ("Alpha", "Beta", "Gamma", "Delta", "Epsilon", "Zeta",
                                        "Eta", "Theta", "Iota", "Kappa")]
"""Ten like names, neither a series nor a family, that took JFK over when all were sent."""
TECH = ["Prometheus", "Terraform", "Ansible", "Jenkins", "PostgreSQL", "Elasticsearch",
        "Kibana", "Logstash", "Grafana", "Kubernetes"]
"""Ten distinct names: all are sent (JFK and the others stay as they are)."""
CLIPS = [("jfk.flac", "en"), ("en_librispeech.wav", "en"), ("zh_aishell.wav", "zh")]


def _tokens(text: str) -> int:
    return len(text.split())


def test_a_family_and_a_series_send_one_term() -> None:
    """The 30 Galaxy names are one name to spell: "Galaxy S24" stands for its "+" and
    "Ultra" forms and for the other numbers."""
    assert glossary_hints.select(GALAXY, _tokens) == ("Galaxy S24",)
    assert glossary_hints.select(["Galaxy S240", "Galaxy S24"], _tokens) == ("Galaxy S240",)


def test_a_large_glossary_sends_a_bounded_few_in_its_order() -> None:
    chosen = glossary_hints.select(LARGE, _tokens)
    assert chosen == ("Kubernetes", "Grafana", "Galaxy S24", "Product 000", "term0 name0")
    many = [f"{a}{b}" for a in "BCDFGHJKLMNPRSTVWZ" for b in ("ix", "orp", "ulm")]
    assert len(glossary_hints.select(many, _tokens)) == glossary_hints.MAX_TERMS
    long_terms = [" ".join([f"w{n}"] * 30) for n in range(5)] + ["vLLM"]
    chosen = glossary_hints.select(long_terms, _tokens)
    assert sum(_tokens(", " + t) for t in chosen) <= glossary_hints.MAX_TOKENS
    assert chosen[-1] == "vLLM"  # a short term after the budget is spent still fits


def test_the_remote_recognizer_is_sent_the_same_few_terms() -> None:
    from whispertrans_tray.providers.asr_remote import RemoteWhisper, build_prompt

    remote = RemoteWhisper("http://127.0.0.1:9/v1", "whisper-1", terms=LARGE)
    assert remote.terms == ("Kubernetes", "Grafana", "Galaxy S24", "Product 000", "term0 name0")
    assert build_prompt(remote.terms, "Hello there.").startswith("Kubernetes, Grafana, Galaxy S24")
    remote.close()


def test_duplicates_blanks_and_terms_in_the_prompt_are_not_sent() -> None:
    assert glossary_hints.select(["vLLM", " vllm ", "", "  ", "GPU"], _tokens) == ("vLLM", "GPU")
    assert glossary_hints.absent(("vLLM", "GPU"), "we serve it with VLLM today") == ("GPU",)


def test_takeover_is_told_from_a_sentence_that_names_a_term() -> None:
    terms = ("Kubernetes", "Galaxy S24")
    assert glossary_hints.taken_over("Galaxy S24, Galaxy S24, Galaxy S24, Galaxy", terms)
    assert glossary_hints.taken_over("Kubernetes Kubernetes on Kubernetes", terms)
    assert not glossary_hints.taken_over("We deployed it on Kubernetes yesterday.", terms)
    assert not glossary_hints.taken_over("Kubernetes", terms)  # too short to tell
    assert glossary_hints.taken_over(" ", terms, 12.4)  # speech the hotwords silenced
    assert not glossary_hints.taken_over("", terms, 0.5)
    assert not glossary_hints.taken_over("Galaxy S24 Galaxy S24", ())
    assert glossary_hints.taken_over("and so my fellow Americans. ask not. .K.K.K.K.K.K.K.K.K."
                                     " your country can do for you.", terms)  # a loop
    assert not glossary_hints.taken_over("ask not what your country can do for you, ask "
                                         "what you can do for your country.", terms)


def test_like_names_send_one_per_leading_word() -> None:
    """Ten "Galaxy <letter>" names once wrote ".K.K.K.K…" into JFK's speech."""
    assert glossary_hints.select(GREEK, _tokens) == ("Galaxy Alpha",)
    assert glossary_hints.select(["Azure", "Azure Functions", "Grafana Loki", "Loki"],
                                 _tokens) == ("Azure", "Grafana Loki", "Loki")


ASR = AsrSettings(device="cpu", cpu_threads=2)


def _text(model, name: str, language: str, mode: str, clip) -> str:  # type: ignore[no-untyped-def]
    asr = AsrSettings(device="cpu", cpu_threads=2, language=language)
    recognizer = (build_file_recognizer(asr, model, 1) if mode == "file"
                  else build_recognizer(asr, model, live=True))
    out: list[Sentence] = []
    live.run(clip(name), recognizer, lambda e: out.append(e) if isinstance(e, Sentence) else None)
    return " ".join(s.text for s in out)


def _error(name: str, language: str, text: str) -> float:
    return cer(reference(name), text) if language == "zh" else wer(reference(name), text)


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["file", "live"])
@pytest.mark.parametrize("glossary", ["large", "galaxy", "greek", "tech"])
def test_a_large_glossary_leaves_the_clips_as_they_were(model_cache, base_model, clip,  # type: ignore[no-untyped-def]
                                                        mode: str, glossary: str) -> None:
    """30 Galaxy names once turned JFK into "Galaxy S21, Galaxy S21, …"; with 10,000 terms
    or ten like names the shared clips keep the WER (CER for Mandarin) they have without a
    glossary, within 1 point, and the Kubernetes clip still gets its term."""
    terms = {"large": LARGE, "galaxy": GALAXY, "greek": GREEK, "tech": TECH}[glossary]
    model = asr_faster_whisper.load(ASR, terms)
    for name, language in CLIPS:
        plain = _error(name, language, _text(base_model, name, language, mode, clip))
        with_terms = _error(name, language, _text(model, name, language, mode, clip))
        assert with_terms <= plain + 0.01, (name, with_terms, plain)
    if glossary in ("large", "tech"):
        kubernetes = words(_text(model, "kubernetes_espeak.wav", "en", mode, clip)).split()
        assert "kubernetes" in kubernetes, kubernetes
