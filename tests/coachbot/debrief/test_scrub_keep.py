"""What makes a debrief useful survives scrubbing: money, percentages, durations, counts,
weekdays, months, products, plans, departments and roles without a name."""

from __future__ import annotations

import pytest

from coachbot.debrief.scrubber import scrub

UNTOUCHED = [
    "refund of $40 after 3 days",
    "order of 1234567890123 units",
    "we met at noon",
    "50% off",
    "a £120 goodwill credit (15%) approved by the Supervisor",
    "She waited 45 minutes, then 2 hours, and called 3 times over 5 days.",
    "We waited from 2:15pm until 3:40pm, that's 85 minutes.",
    "1,250 dollars, $1,234,567, €1.234,56 and 1 250 000 units",
    "The Premium Plus plan costs $19.99/month after the 3-month promo.",
    "She wanted a Galaxy S23 and an iPhone 15 Pro Max for 2 lines at $79.99/month.",
    "The Samsung Galaxy Tab S9 and Xbox Series X are both in stock.",
    "Cancel the Ultimate Family bundle? Sky Sports went up by 12%.",
    "Netflix Standard, Disney+ Premium, the Unlimited Max plan and the Family Plan.",
    "Escalated to Tier 2, transferred to the Fraud team, then to Collections on Friday 14 June.",
    "Billing, Technical Support, Collections and Customer Care passed her around for 2 weeks.",
    "Kept: Billing, Sales, Retentions, HR, IT, Legal and the Complaints team.",
    "The agent apologised and the customer accepted 10% off for 6 months on the Gold tier.",
    "Policy renewal in September; version 2.4.1; a 4K TV; 5G; 256GB; the Model 3.",
    "Called on 03/04/2024 at 14:30 for 12 min; ticket opened 2024-03-04; Q3 target 85%.",
    "Next Wednesday, January 15, the Gold Rewards tier renews at 1,200 points.",
    "The AHT was 12:34 and CSAT 4.5/5; FCR 78%.",
    "Order 12 of 20 arrived; case 7 of the week; ticket count 45; 1500 tickets this quarter.",
    "in case 3 people call, order 2 weeks ago, the account is 30 days overdue, invoice $450",
    "Mark the ticket as solved. Will do. Grace period ends Friday. May I help? June sales up 5%.",
    "On Monday in March the Billing team refunded $25.50.",
    "The Supervisor approved it and the Team Lead signed off.",
    "I used the HEARD model: Hear, Empathize, Apologize, Resolve, Diagnose.",
    "Apple Care+ should cover the iPhone 14 screen; it cost $279.",
    "Management said no. Policy says 30 days. Amazon confirmed. Everyone agreed.",
    "I spent 20 minutes on the road; at 3 PM the files were saved to Google Drive.",
    "Hi team, hi there, hello all, thanks again.",
    "Scores this week: 85 90 78 92 88.",
    "Between 9 and 5 on weekdays, 10-4 on Saturdays.",
    "@everyone and @here must not be pinged",
    "See https://example.com/help and https://support.acme.com/articles/refund-policy",
    "Specs at https://www.apple.com/iphone-15/ and https://www.samsung.com/uk/galaxy-s23-ultra/",
    "Supervisor Approval needed over $50; the Customer Journey map; the Agent Assist tool.",
    "Upgrade confirmed. Payment requested. Per the Billing team, it's fine.",
    "Version 3.2.1 crashed on Android 14; a 1-star review on Trustpilot; NPS 9.",
    "A Marks & Spencer voucher, a Dr Pepper, a Louis Vuitton bag and a Morgan Stanley account.",
    "Quality Assurance replied and the Legal Team asked for logs. Dear Valued Customer,",
    "USD 1,234.56; Rs. 5,000; 1 hr 30 min; 7-10 working days; 24/7 support; Q3 2024; FY2023",
    "between 100 and 200 customers; 10000 steps; at 09:30; on 20/11/2024; hold time 12:30",
    "Tier 1 to Tier 3; P1 incident; 100 Mbps; 1080p; 65-inch TV; room 101; seat 14C; gate 22",
    "Apple Music, Google Pixel, Amazon Prime Video, Sky Q, Virgin Media O2, BT Sport",
    "Her birthday is next week; DOB verified; the ID card expired in 2020; a TED talk.",
    "The customer was born in March and her birthday is in May.",
]


@pytest.mark.parametrize("text", UNTOUCHED, ids=[t[:40] for t in UNTOUCHED])
def test_useful_details_survive(text):
    result = scrub(text)
    assert result.text == text
    assert result.redactions == {}


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        (
            "Sarah Mitchell called about her Galaxy S23 on the Premium Plus plan.",
            ["Galaxy S23", "Premium Plus plan"],
        ),
        (
            "Ticket #778812 escalated to Tier 2 after 35 minutes; my team lead Marcus gave 25%.",
            ["Tier 2", "35 minutes", "my team lead", "25%"],
        ),
        (
            "Mrs Chen was billed £89.99 twice in August; refunded within 48 hours.",
            ["£89.99", "August", "48 hours"],
        ),
        (
            "Jessica from Retentions offered the Business Pro plan for 3 months.",
            ["Retentions", "Business Pro", "3 months"],
        ),
    ],
)
def test_useful_details_survive_next_to_personal_data(text, kept):
    result = scrub(text)
    assert result.redactions
    for item in kept:
        assert item in result.text
