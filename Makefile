# The two set-up commands of the README: `make demo` and `make test`. Both create .venv.
# `make install` / `make uninstall` are for daily use: beiwen on the current user's PATH.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_DB := build/demo.db

.PHONY: demo test install uninstall lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,web]'
	touch $(STAMP)

demo: $(STAMP)
	@mkdir -p build
	@rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	$(BIN)/beiwen --db $(DEMO_DB) init --demo
	$(BIN)/beiwen --db $(DEMO_DB) rotation show --year 2024
	$(BIN)/beiwen --db $(DEMO_DB) --lang zh report --month 2024-08

test: $(STAMP)
	$(BIN)/python -m pytest -q -n auto

# Daily use: `beiwen` on the PATH of the current user, with uv or pipx when present (each in
# its own environment), else pip's user scheme. The database is never touched.
install:
	@if command -v uv >/dev/null 2>&1; then \
	    echo "用 uv 安装 beiwen（uv tool install）…"; \
	    uv tool install --force --reinstall --quiet . || exit 1; \
	    bindir="$$(uv tool dir --bin)"; \
	elif command -v pipx >/dev/null 2>&1; then \
	    echo "用 pipx 安装 beiwen（pipx install）…"; \
	    pipx install --force . >/dev/null || exit 1; \
	    bindir="$$(pipx environment --value PIPX_BIN_DIR 2>/dev/null || echo "$$HOME/.local/bin")"; \
	else \
	    if $(PYTHON) -c 'import sys; sys.exit(sys.prefix == sys.base_prefix)'; then \
	        echo "错误：$(PYTHON) 是一个虚拟环境中的 Python；请先运行 deactivate，或安装 pipx 后再运行 make install" >&2; \
	        exit 1; \
	    fi; \
	    echo "用 pip 安装 beiwen（$(PYTHON) -m pip install --user）…"; \
	    $(PYTHON) -m pip install --quiet --user --no-warn-script-location . || { \
	        echo "错误：pip 未能安装；如果提示 externally-managed-environment，请先安装 pipx（如 sudo apt install pipx）再运行 make install" >&2; \
	        exit 1; }; \
	    bindir="$$($(PYTHON) -c 'import sysconfig; print(sysconfig.get_path("scripts", sysconfig.get_preferred_scheme("user")))')"; \
	fi; \
	echo "beiwen 已安装：$$bindir/beiwen"; \
	case ":$$PATH:" in \
	    *":$$bindir:"*) echo "现在可以直接输入 beiwen。数据库位置：$$("$$bindir/beiwen" db path)";; \
	    *) echo "注意：$$bindir 不在 PATH 中；请把下面一行加到 ~/.bashrc 或 ~/.zshrc，再打开新的终端："; \
	       echo "    export PATH=\"$$bindir:\$$PATH\"";; \
	esac

uninstall:
	@dbpath="$$(beiwen db path 2>/dev/null)"; \
	if command -v uv >/dev/null 2>&1 && uv tool list 2>/dev/null | grep -q '^beiwen '; then \
	    uv tool uninstall beiwen; \
	elif command -v pipx >/dev/null 2>&1 && pipx list --short 2>/dev/null | grep -q '^beiwen '; then \
	    pipx uninstall beiwen; \
	elif $(PYTHON) -c 'import sys; sys.exit(sys.prefix != sys.base_prefix)' \
	        && $(PYTHON) -m pip show beiwen >/dev/null 2>&1; then \
	    $(PYTHON) -m pip uninstall --yes --quiet beiwen; \
	else \
	    echo "beiwen 未安装（uv、pipx 和 $(PYTHON) -m pip 中都没有找到）"; exit 0; \
	fi; \
	echo "beiwen 已卸载。数据库文件没有删除：$${dbpath:-见 beiwen db path}"

lint: $(STAMP)
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) build .pytest_cache .mypy_cache .ruff_cache
