#!/bin/sh
# A CRM's objects in, one lead process out: the Zoho-style export of
# Brightwave Analytics in this folder (README.md) taken into canonical
# leads, one activity stream and one stage history, then scored, routed,
# nurtured and reported.  Run by `make demo` (and checked by a test) with
# the tools on PATH; the outputs go to $DEMO_OUT (default
# $TMPDIR/leadkit-crm-demo).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${DEMO_OUT:-${TMPDIR:-/tmp}/leadkit-crm-demo}
mkdir -p "$out"
export LEAD_MODEL="$here/model.yaml"
now=2026-11-20T10:00:00Z
cd "$here"

echo "== the deals and their stage history, linked to leads through the contacts"
# The contacts were converted from leads: --link leads.csv first, so a
# CONTACTID leads to the lead_id of the lead it came from.
lead-ingest --history --link leads.csv --link contacts.csv \
	--rejects "$out/history-rejects.csv" -o "$out/history.csv" deal-history.csv

echo
echo "== the leads, each stage brought up to date by its deals"
lead-ingest --dedupe --stages-from "$out/history.csv" --now "$now" \
	--rejects "$out/lead-rejects.csv" -o "$out/leads.csv" leads.csv

echo
echo "== calls, tasks and campaign members: one activity stream"
lead-ingest --activities --show-mapping --link leads.csv --link contacts.csv calls.csv |
	sed -n '/how rows are linked/,$p'
lead-ingest --activities --link leads.csv --link contacts.csv \
	--rejects "$out/activity-rejects.csv" -o "$out/activities.csv" \
	calls.csv tasks.csv campaign-members.csv

echo
echo "== score, route and nurture as of $now"
lead-score --activities "$out/activities.csv" --now "$now" "$out/leads.csv" |
	lead-route --now "$now" |
	lead-nurture --activities "$out/activities.csv" --now "$now" -o "$out/nurtured.csv"
lead-nurture --activities "$out/activities.csv" --now "$now" --due \
	-o "$out/send.csv" "$out/nurtured.csv"
mlr --icsv --opprint cut -o -f email,stage,score,route,nurture_state,nurture_reason \
	"$out/nurtured.csv" 2>/dev/null || cut -d, -f2,12 "$out/nurtured.csv"
echo "touches due now: $(($(wc -l < "$out/send.csv") - 1))"

echo
echo "== the funnel, from the leads and from the deals' history"
lead-report funnel "$out/nurtured.csv"
lead-report --history "$out/history.csv" velocity "$out/nurtured.csv"
