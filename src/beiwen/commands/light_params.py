"""Coerce plain option values without pydantic.

Typer (0.26+) converts every option value through a pydantic TypeAdapter, so the first
option a command receives imports pydantic: about a third of the start-up time of
`beiwen issue add`. Our options are text, paths, flags, whole numbers and lists of text,
which Click has already parsed; this module gives those a plain conversion and leaves every
other annotation to Typer. It hooks a private Typer function, so it is guarded: if Typer's
internals move, beiwen falls back to Typer's own coercion (slower, same behaviour) and the
structural import test in tests/test_imports_light.py notices.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, get_args, get_origin


def install() -> bool:
    """Install the plain coercion into Typer; False when Typer's internals are not as expected."""
    try:
        import typer.core
        from typer._click.exceptions import BadParameter
        from typer._coercion import RuntimeParam, build_runtime_param
        from typer._param_types import coerce_cli_path
    except (ImportError, AttributeError):
        return False
    if not hasattr(typer.core, "build_runtime_param"):
        return False

    class PlainParam(RuntimeParam):
        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            annotation: Any = self.annotation
            if get_origin(annotation) is list:
                return [str(item) for item in value]
            if annotation is Path:
                # Path first: coerce_cli_path then only applies its exists/dir checks.
                return coerce_cli_path(
                    Path(value), self.parameter_info, path_type=Path, param=param, ctx=ctx
                )
            if annotation is bool:
                if isinstance(value, bool):
                    return value
                return str(value).strip().lower() in ("1", "true", "yes", "y", "on")
            if annotation is int:
                try:
                    return int(value)
                except (TypeError, ValueError):
                    raise BadParameter(
                        f"{value!r} is not a valid integer.", ctx=ctx, param=param
                    ) from None
            return str(value)

    def is_plain(descriptor: Any) -> bool:
        info = descriptor.parameter_info
        if descriptor.file_annotation is not None or getattr(info, "parser", None) is not None:
            return False
        if getattr(info, "click_type", None) is not None or descriptor.is_choice:
            return False
        annotation = descriptor.annotation
        if get_origin(annotation) is list:
            return get_args(annotation) == (str,)
        if annotation is int:
            return getattr(info, "min", None) is None and getattr(info, "max", None) is None
        return annotation in (str, Path, bool)

    def runtime_param(descriptor: Any) -> Any:
        try:
            plain = is_plain(descriptor)
        except AttributeError:  # Typer's descriptor changed shape: let Typer do it all
            plain = False
        if plain:
            return PlainParam(
                annotation=descriptor.annotation, parameter_info=descriptor.parameter_info
            )
        return build_runtime_param(descriptor)

    typer.core.build_runtime_param = runtime_param
    return True
