#!/bin/sh
# The leadkit demo pipeline, run by `make demo` with the tools on PATH.
# A messy HubSpot export and an activity log become clean canonical
# leads and activities; the leads are scored, routed and nurtured, the
# nurture send list is written, and the funnel reported:
#   lead-ingest | lead-score | lead-route | lead-nurture, and lead-report.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${DEMO_OUT:-${TMPDIR:-/tmp}/leadkit-demo}
mkdir -p "$out"
model=$here/model.yaml

echo "== lead-ingest: how the export's headers map"
lead-ingest -m "$model" --show-mapping "$here/crm-export.csv"

echo
echo "== lead-ingest: normalise and dedupe $here/crm-export.csv"
lead-ingest -m "$model" --dedupe --rejects "$out/rejects.csv" \
	-o "$out/leads.csv" "$here/crm-export.csv"
lead-ingest -m "$model" --activities --rejects "$out/activity-rejects.csv" \
	-o "$out/activities.csv" "$here/activities.csv"

echo
echo "== lead-score: fit and decayed engagement as of 2026-11-20"
lead-score -m "$model" --explain --activities "$out/activities.csv" --now 2026-11-20 \
	-o "$out/scored.csv" "$out/leads.csv"
lead-score -m "$model" --lint | tail -n 2

echo
echo "== lead-route: rules, owners and business-hours SLAs as of Fri 2026-11-20 16:00 New York"
lead-route -m "$model" --now 2026-11-20T21:00:00Z -o "$out/routed.csv" "$out/scored.csv"

echo
echo "== lead-nurture: three tracks, a 2/7d cap, New York business hours; the send list"
lead-nurture -m "$model" --activities "$out/activities.csv" --now 2026-11-20T21:00:00Z \
	-o "$out/nurtured.csv" "$out/routed.csv"
lead-nurture -m "$model" --activities "$out/activities.csv" --now 2026-11-20T21:00:00Z \
	--due -o "$out/send.csv" "$out/nurtured.csv"
head -n 6 "$out/send.csv"
echo "($(($(wc -l < "$out/send.csv") - 1)) touches due now)"

echo
echo "== lead-report: the funnel of the routed leads"
lead-report -m "$model" funnel -f table "$out/routed.csv"

echo
echo "leads:      $out/leads.csv"
echo "rejects:    $out/rejects.csv (rows kept unchanged, with _reject_reason and _line)"
echo "activities: $out/activities.csv"
echo "scored:     $out/scored.csv (score_reasons says why each lead scored what it did)"
echo "routed:     $out/routed.csv (route, owner, sla_due_at)"
echo "nurtured:   $out/nurtured.csv (nurture_track, nurture_state, next_touch_at, next_content)"
echo "send list:  $out/send.csv (the touches due now; report sends back as email_sent)"
