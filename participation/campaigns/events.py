"""Group names and event payloads of a campaign's live counter (one helper per name).

Events (server → client), each carrying ``id``: the campaign's change number after the
change (``CampaignTally.last_seq``), which only grows, so a client resumes from the
last one it saw:

* ``signatures.added`` ``{id, count, signatures: [{seq, organisation, type, city,
  country}]}``: approved by an editor (one event per batch);
* ``signatures.removed`` ``{id, count, removed: [seq, …]}``: withdrawn or rejected.

Only public facts travel: never the e-mail, the representative or the member.
"""


def campaign_group(campaign_key):
    """Everyone looking at the campaign, whatever the language of the page they opened."""
    return f"campaigns.campaign.{campaign_key.hex}"


def signature_payload(signature):
    return {
        "seq": signature.seq,
        "organisation": signature.organisation,
        "type": signature.signatory_type,
        "city": signature.city,
        "country": str(signature.country),
    }
