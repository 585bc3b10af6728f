-- The ledger: the truth about money. One line per video version and mode (simulated or real) of a campaign,
-- moved SENT -> PAID | FAILED | UNCERTAIN, each change committed on its own before and after the paid call.
-- Portable SQL: runs on H2 and PostgreSQL.
CREATE TABLE kb_ledger (
    campaign          VARCHAR(1000) NOT NULL,  -- the campaign's output folder, absolute: its files are what the ledger protects
    video_id          VARCHAR(200)  NOT NULL,  -- the row's id
    request_hash      VARCHAR(64)   NOT NULL,  -- VideoRequest fingerprint: a changed row is a new version
    simulated         BOOLEAN       NOT NULL,  -- simulated results never count as paid real ones
    state             VARCHAR(16)   NOT NULL,  -- SENT, PAID, FAILED, UNCERTAIN
    attempts          INTEGER       NOT NULL,  -- paid-call attempts over all runs
    file_name         VARCHAR(300),
    bytes             BIGINT,
    sha256            VARCHAR(64),
    cost              DECIMAL(19, 6),
    remaining_credits DECIMAL(19, 6),
    request_id        VARCHAR(200),
    error             VARCHAR(2000),
    created_at        TIMESTAMP     NOT NULL,
    updated_at        TIMESTAMP     NOT NULL,
    PRIMARY KEY (campaign, video_id, request_hash, simulated)
);
