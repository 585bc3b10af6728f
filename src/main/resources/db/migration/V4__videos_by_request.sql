-- The ledger, keyed by what was paid for: one line per video, whichever campaign, output folder, working directory
-- or machine asked for it. A video is the exact request (a hash of every field sent, an image by its bytes), a take
-- number and the API it was paid to. Portable SQL: runs on H2 and PostgreSQL. Lines of the old kb_ledger (keyed by
-- output folder) are copied in by the Java migration that follows (V5).
CREATE TABLE kb_video (
    endpoint          VARCHAR(300)  NOT NULL,  -- 'simulator', or the API's base URL: simulated and real, or two endpoints, never mix
    request_hash      VARCHAR(64)   NOT NULL,  -- sha256 of every field sent; a local image counts by its bytes' sha256
    take              INTEGER       NOT NULL,  -- 1, or the n-th deliberate remake (--remake) of the same request
    state             VARCHAR(16)   NOT NULL,  -- ORDERED, SENT, SUBMITTED, PAID, FAILED, UNCERTAIN
    attempts          INTEGER       NOT NULL,  -- calls sent for it, over all runs
    duration          VARCHAR(8),              -- with mode: the kind of video, which sets its price
    mode              VARCHAR(32),
    estimate          DECIMAL(19, 6),          -- the price a budget reserved for it before it was sent
    cost              DECIMAL(19, 6),          -- what it cost: x-cost, v2's metrics.cost, or the balance's change around it
    remaining_credits DECIMAL(19, 6),          -- the account's balance the API reported with it
    request_id        VARCHAR(200),
    status_url        VARCHAR(2000),           -- v2: where to poll; committed before any waiting
    response_url      VARCHAR(2000),
    submitted_at      TIMESTAMP,
    error             VARCHAR(2000),
    file_name         VARCHAR(300),            -- the video as first saved: name, absolute path, machine
    file_path         VARCHAR(2000),
    host              VARCHAR(255),
    bytes             BIGINT,
    sha256            VARCHAR(64),
    campaign          VARCHAR(300),            -- the campaign that paid for it (its budget counts it)
    row_id            VARCHAR(200),            -- the row it was made for
    execution_id      BIGINT,                  -- the job execution that sent it
    holder            VARCHAR(36),             -- the process that claimed it (its lease client id): alive or gone
    created_at        TIMESTAMP     NOT NULL,
    updated_at        TIMESTAMP     NOT NULL,
    PRIMARY KEY (endpoint, request_hash, take)
);
CREATE INDEX kb_video_campaign ON kb_video (campaign, endpoint, state);

-- Who holds a lease, for the sentence a second run prints ("another run holds this campaign: host, pid, since").
-- Informational only: the lease itself is Spring Integration's INT_LOCK, below.
CREATE TABLE kb_holder (
    client_id   VARCHAR(36)   NOT NULL PRIMARY KEY,
    host        VARCHAR(255)  NOT NULL,
    pid         BIGINT        NOT NULL,
    campaign    VARCHAR(300),
    started_at  TIMESTAMP     NOT NULL
);

-- Spring Integration's JdbcLockRegistry table, as its schema-h2.sql and schema-postgresql.sql define it (the lock
-- part only): a campaign is held by one run at a time through a lease in the database, renewed while the run lives.
CREATE TABLE INT_LOCK (
    LOCK_KEY      CHAR(36)      NOT NULL,
    REGION        VARCHAR(100)  NOT NULL,
    CLIENT_ID     CHAR(36),
    CREATED_DATE  TIMESTAMP     NOT NULL,
    EXPIRED_AFTER TIMESTAMP     NOT NULL,
    CONSTRAINT INT_LOCK_PK PRIMARY KEY (LOCK_KEY, REGION)
);
