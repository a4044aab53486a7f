"""The prompt registry (registered models tagged as prompts) through mlflow.genai."""

from __future__ import annotations

import mlflow
import mlflow.genai
import pytest
from mlflow.exceptions import MlflowException

from compat_helpers import unique


def test_register_and_load_prompt_by_version_alias_and_latest(server, client):
    name = unique("greeting")
    first = mlflow.genai.register_prompt(
        name=name, template="Hello {{name}}!", commit_message="first draft", tags={"author": "ana"}
    )
    assert first.version == 1
    second = mlflow.genai.register_prompt(name=name, template="Hi {{name}}, welcome to {{place}}.")
    assert second.version == 2

    v1 = mlflow.genai.load_prompt(f"prompts:/{name}/1")
    assert v1.template == "Hello {{name}}!"
    assert v1.format(name="Ada") == "Hello Ada!"
    assert v1.commit_message == "first draft"
    assert v1.tags.get("author") == "ana"
    v2 = mlflow.genai.load_prompt(name, version=2)
    assert v2.format(name="Ada", place="cairn") == "Hi Ada, welcome to cairn."

    mlflow.genai.set_prompt_alias(name, alias="production", version=1)
    assert mlflow.genai.load_prompt(f"prompts:/{name}@production", cache_ttl_seconds=0).version == 1
    assert mlflow.genai.load_prompt(f"prompts:/{name}@latest", cache_ttl_seconds=0).version == 2
    mlflow.genai.set_prompt_alias(name, alias="production", version=2)
    moved = mlflow.genai.load_prompt(f"prompts:/{name}@production", cache_ttl_seconds=0)
    assert moved.version == 2
    assert moved.template == "Hi {{name}}, welcome to {{place}}."


def test_chat_prompt_round_trips(server):
    name = unique("chat")
    messages = [
        {"role": "system", "content": "You are a {{style}} assistant."},
        {"role": "user", "content": "{{question}}"},
    ]
    mlflow.genai.register_prompt(name=name, template=messages)
    loaded = mlflow.genai.load_prompt(f"prompts:/{name}/1")
    assert loaded.template == messages
    assert loaded.format(style="terse", question="Why?") == [
        {"role": "system", "content": "You are a terse assistant."},
        {"role": "user", "content": "Why?"},
    ]


def test_prompts_stay_out_of_model_searches(server, client):
    prefix = unique("kept-apart")
    prompt_name, model_name = f"{prefix}-prompt", f"{prefix}-model"
    mlflow.genai.register_prompt(name=prompt_name, template="Summarise {{text}}")
    client.create_registered_model(model_name)
    models = mlflow.search_registered_models(filter_string=f"name LIKE '{prefix}%'")
    assert [m.name for m in models] == [model_name]
    assert prompt_name not in {m.name for m in mlflow.search_registered_models()}
    prompts = mlflow.genai.search_prompts(filter_string=f"name LIKE '{prefix}%'")
    assert [p.name for p in prompts] == [prompt_name]
    assert mlflow.search_model_versions(filter_string=f"name = '{prompt_name}'") == []


def test_loading_a_missing_prompt(server):
    name = unique("absent")
    assert mlflow.genai.load_prompt(f"prompts:/{name}/1", allow_missing=True) is None
    with pytest.raises(MlflowException):
        mlflow.genai.load_prompt(f"prompts:/{name}/1")


def test_a_prompt_cannot_take_a_registered_model_name(server, client):
    name = unique("taken")
    client.create_registered_model(name)
    with pytest.raises(MlflowException):
        mlflow.genai.register_prompt(name=name, template="{{x}}")
