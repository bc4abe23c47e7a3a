# The README's two commands: `make start` and `make test`. Each first runs `make setup`,
# which is idempotent: Debian packages (as root), npm ci, build.
SHELL := /bin/bash
APT_PACKAGES := frr gobgpd iproute2 iputils-ping tcpdump traceroute busybox nftables iptables \
                openssh-server openssh-client tmux procps psmisc ethtool curl fping
NODE_STAMP := node_modules/.package-lock.json

.PHONY: setup packages deps build start test bot bench clean-labs

setup: packages deps build

packages:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" != 0 ]; then echo "missing packages: $$missing — run 'sudo make setup'"; exit 1; fi; \
	  echo "installing: $$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

deps: $(NODE_STAMP)
$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $(NODE_STAMP)

build: deps
	@npm run --silent build

start: setup
	./bin/bgp-lab repl --up

test: setup
	npx vitest run

bot: setup
	./bin/bgp-lab bot

bench: setup
	npm run bench

clean-labs: build
	./bin/bgp-lab down --all
