import Testing
@testable import IoTEventsCore

/// A small deterministic PRNG (no Foundation), for randomized checks against simple models.
struct SplitMix64 {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}

@Suite struct DeadlineHeapTests {
    @Test func popsInDeadlineThenInsertionOrder() {
        var heap = DeadlineHeap<String>()
        heap.push(deadline: 30, "c")
        heap.push(deadline: 10, "a1")
        heap.push(deadline: 20, "b")
        heap.push(deadline: 10, "a2")
        #expect(heap.popDue(at: 9) == nil)
        var out: [String] = []
        while let e = heap.popDue(at: 25) { out.append(e.payload) }
        #expect(out == ["a1", "a2", "b"])
        #expect(heap.first?.payload == "c")
    }

    @Test func randomizedAgainstSorting() {
        var rng = SplitMix64(state: 42)
        var heap = DeadlineHeap<Int>()
        var model: [(Millis, Int)] = []
        for i in 0..<5_000 {
            let d = Millis(rng.below(1_000))
            heap.push(deadline: d, i)
            model.append((d, i))
        }
        model.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
        var popped: [Int] = []
        while let e = heap.popFirst() { popped.append(e.payload) }
        #expect(popped == model.map { $0.1 })
    }

    /// The stale-entry sweep: what is kept still pops in deadline, then insertion, order.
    @Test func retainKeepsOrderOfWhatRemains() {
        var rng = SplitMix64(state: 9)
        var heap = DeadlineHeap<Int>()
        var model: [(Millis, Int)] = []
        for i in 0..<3_000 {
            let d = Millis(rng.below(500))
            heap.push(deadline: d, i)
            model.append((d, i))
        }
        heap.retain { $0 % 3 != 0 }
        #expect(heap.count == model.filter { $0.1 % 3 != 0 }.count)
        heap.push(deadline: 0, -1)
        model = model.filter { $0.1 % 3 != 0 } + [(0, -1)]
        model.sort { $0.0 != $1.0 ? $0.0 < $1.0 : ($0.1 == -1 ? false : ($1.1 == -1 ? true : $0.1 < $1.1)) }
        var popped: [Int] = []
        while let e = heap.popFirst() { popped.append(e.payload) }
        #expect(popped == model.map { $0.1 })
    }
}

@Suite struct SortedKeyIndexTests {
    @Test func randomizedAgainstASortedArray() {
        var rng = SplitMix64(state: 7)
        var index = SortedKeyIndex()
        var model = Set<String>()
        for _ in 0..<20_000 {
            let key = "k\(rng.below(6_000))"
            if rng.below(3) == 0 {
                let removed = index.remove(key)
                let expected = model.remove(key) != nil
                #expect(removed == expected)
            } else {
                let inserted = index.insert(key)
                let expected = model.insert(key).inserted
                #expect(inserted == expected)
            }
        }
        #expect(index.count == model.count)
        let sorted = model.sorted { ByteOrder.less($0, $1) }
        // Page through with every page size edge: 1, exact division, and one large page.
        for size in [1, 7, sorted.count, max(1, sorted.count / 4)] {
            var collected: [String] = []
            var after: String?
            while true {
                let page = index.page(after: after, limit: size)
                collected += page.keys
                guard page.more, let last = page.keys.last else { break }
                after = last
            }
            #expect(collected == sorted)
        }
    }

    @Test func appendBuildsTheSameIndexAsInsert() {
        var appended = SortedKeyIndex()
        var inserted = SortedKeyIndex()
        let keys = (0..<2_500).map { "k" + String(100_000 + $0) } // three chunks and a part
        for k in keys { appended.append(k); inserted.insert(k) }
        appended.append("a") // out of order: inserted where it belongs
        inserted.insert("a")
        var all: [String] = []
        appended.forEach { all.append($0) }
        #expect(all == ["a"] + keys)
        #expect(appended.count == inserted.count)
        #expect(appended.page(after: "k101023", limit: 3).keys == inserted.page(after: "k101023", limit: 3).keys)
        #expect(appended.contains("k102499") && appended.contains("a"))
    }

    @Test func pagesResumeAfterADeletedCursor() {
        var index = SortedKeyIndex()
        for k in ["a", "b", "c", "d", "e"] { index.insert(k) }
        index.remove("b")
        #expect(index.page(after: "b", limit: 2).keys == ["c", "d"])
        let full = index.page(after: nil, limit: 4)
        #expect(full.keys == ["a", "c", "d", "e"])
        #expect(!full.more)
    }
}

@Suite struct InstanceTableStateIndexTests {
    struct Item: KeyedInstance {
        let key: String
        var state: Int
        var listedState: Int? { state }
    }

    struct Unlisted: KeyedInstance {
        let key: String
        var listedState: Int? { nil }
    }

    static func keys(_ table: InstanceTable<Item>, _ state: Int) -> [String] {
        table.keys(inState: state).page(after: nil, limit: 100).keys
    }

    @Test func theFirstFilteredListingIndexesWhatChangedBefore() {
        let table = InstanceTable<Item>()
        for (k, s) in [("d", 1), ("b", 1), ("a", 0), ("c", 0), ("e", 2)] { _ = table.insert(Item(key: k, state: s)) }
        let slot = table.slot(of: "e")!
        var e = table.take(slot)!
        e.state = 0
        table.put(e, at: slot)
        table.remove("b")
        #expect(Self.keys(table, 0) == ["a", "c", "e"])
        #expect(Self.keys(table, 1) == ["d"])
        #expect(Self.keys(table, 2).isEmpty)
    }

    @Test func keysFollowTheirStateThroughTakePutRemoveAndReuse() {
        let table = InstanceTable<Item>()
        for (k, s) in [("a", 0), ("b", 1), ("c", 0), ("d", 1)] { _ = table.insert(Item(key: k, state: s)) }
        #expect(Self.keys(table, 0) == ["a", "c"])
        #expect(Self.keys(table, 1) == ["b", "d"])
        // The runtime takes a detector out of its slot, changes its state, puts it back.
        let slot = table.slot(of: "c")!
        var c = table.take(slot)!
        c.state = 2
        table.put(c, at: slot)
        #expect(Self.keys(table, 0) == ["a"])
        #expect(Self.keys(table, 2) == ["c"])
        // Put back unchanged: nothing moves.
        table.put(table.take(slot)!, at: slot)
        #expect(Self.keys(table, 2) == ["c"])
        table.remove("b")
        #expect(Self.keys(table, 1) == ["d"])
        // b's freed slot, reused by a key in another state.
        _ = table.insert(Item(key: "e", state: 0))
        #expect(Self.keys(table, 0) == ["a", "e"])
        #expect(Self.keys(table, 1) == ["d"])
        #expect(Self.keys(table, 7).isEmpty)
        table.removeAll()
        #expect(Self.keys(table, 0).isEmpty)
    }

    @Test func instancesWithoutAListedStateAreNotIndexed() {
        let table = InstanceTable<Unlisted>()
        _ = table.insert(Unlisted(key: "a"))
        let unlisted = table.keys(inState: 0).count
        #expect(unlisted == 0)
        #expect(table.sortedKeys.count == 1)
    }
}

@Suite struct MessageDeduplicatorTests {
    @Test func windowRules() {
        var dedup = MessageDeduplicator()
        let window: Millis = 300_000
        let fresh = dedup.isDuplicate("m1", now: 1_000, window: window)
        #expect(!fresh)
        dedup.accept("m1", now: 1_000, window: window, maxEntries: 1_000_000)
        let within = dedup.isDuplicate("m1", now: 1_000 + window - 1, window: window)
        #expect(within)
        // An ignored duplicate does not restart the window: exactly `window` later it is new.
        let atWindow = dedup.isDuplicate("m1", now: 1_000 + window, window: window)
        #expect(!atWindow)
        dedup.accept("m1", now: 1_000 + window, window: window, maxEntries: 1_000_000)
        let again = dedup.isDuplicate("m1", now: 1_000 + window + 5, window: window)
        #expect(again)
    }

    /// A failed message's id is withdrawn: the state is as if it had never been claimed, and
    /// its retry is not a duplicate.
    @Test func claimThenWithdraw() {
        var dedup = MessageDeduplicator()
        let window: Millis = 300_000
        var claims: [Bool] = []
        claims.append(dedup.claim("a", now: 1, window: window))
        dedup.settle(maxEntries: 2)
        claims.append(dedup.claim("b", now: 2, window: window))
        dedup.withdraw("b")
        #expect(dedup.count == 1)
        #expect(dedup.snapshotEntries.map { $0.id } == ["a"])
        claims.append(dedup.claim("a", now: 3, window: window))
        claims.append(dedup.claim("b", now: 3, window: window))
        dedup.settle(maxEntries: 2)
        #expect(dedup.snapshotEntries.map { $0.id } == ["a", "b"])
        // The duplicate kept its first time: a is new again exactly `window` after 1.
        claims.append(dedup.claim("a", now: 1 + window, window: window))
        #expect(claims == [true, true, false, true, true])
    }

    @Test func zeroWindowTurnsItOffAndMemoryStaysBounded() {
        var dedup = MessageDeduplicator()
        dedup.accept("a", now: 0, window: 0, maxEntries: 1_000_000)
        let off = dedup.isDuplicate("a", now: 0, window: 0)
        #expect(!off)
        for i in 0..<10_000 { dedup.accept("id\(i)", now: Millis(i), window: 100, maxEntries: 1_000_000) }
        #expect(dedup.count <= 100)
    }

    /// limits.maxDedupEntries: past the count the oldest ids are forgotten first, even inside
    /// their window (a manual clock that never moves would otherwise keep every id forever).
    @Test func countCapForgetsOldestFirst() {
        var dedup = MessageDeduplicator()
        for i in 0..<10 { dedup.accept("id\(i)", now: 0, window: 300_000, maxEntries: 3) }
        #expect(dedup.count == 3)
        let forgotten = dedup.isDuplicate("id6", now: 0, window: 300_000)
        let remembered = dedup.isDuplicate("id7", now: 0, window: 300_000)
        #expect(!forgotten)
        #expect(remembered)
        for i in 0..<100_000 { dedup.accept("m\(i)", now: 0, window: 300_000, maxEntries: 1000) }
        #expect(dedup.count == 1000)
        #expect(dedup.snapshotEntries.count == 1000)
    }
}

/// Routes are found by name in a short list, then in a dictionary past `listedLimit` of them;
/// a new generation forgets both.
@Suite struct MessageRouteCacheTests {
    @Test func listedThenHashedThenForgotten() {
        var cache = MessageRouteCache()
        let first: MessageRouteCache.Stamp = (1, 1, 1)
        let names = (0..<(MessageRouteCache.listedLimit + 5)).map { "input-\($0)-with-a-long-name" }
        for name in names {
            let missing = cache.route(name, current: first)
            #expect(missing == nil)
            cache.keep(MessageRoute(input: Input(name: name, description: nil, attributes: [], arn: name, creationTime: 0, lastUpdateTime: 0, status: .active, tags: TagSet()), detectorTargets: [], alarmModels: []), for: name)
        }
        for name in names.reversed() {
            let found = cache.route(name, current: first)
            #expect(found?.input.name == name)
        }
        let unknown = cache.route("input-x", current: first)
        #expect(unknown == nil)
        let stale = cache.route(names[0], current: (2, 1, 1))
        #expect(stale == nil)
        let forgotten = cache.route(names[names.count - 1], current: (2, 1, 1))
        #expect(forgotten == nil)
    }
}
