-- v2 (submit, then poll): the request id and its URLs are committed before any waiting, so a restart polls
-- instead of paying again. The duration lets the cost model learn each duration's price from x-cost.
ALTER TABLE kb_ledger ADD COLUMN status_url VARCHAR(2000);
ALTER TABLE kb_ledger ADD COLUMN response_url VARCHAR(2000);
ALTER TABLE kb_ledger ADD COLUMN submitted_at TIMESTAMP;
ALTER TABLE kb_ledger ADD COLUMN duration VARCHAR(8);
