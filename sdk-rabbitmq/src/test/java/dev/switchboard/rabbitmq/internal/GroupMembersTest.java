package dev.switchboard.rabbitmq.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** How the members of a partitioned group split its partitions: by rank, the same in every member's view. */
class GroupMembersTest {
    @Test
    void aLoneMemberOwnsEveryPartition() {
        assertThat(GroupMembers.owned(Set.of(), "b", 6)).containsExactly(0, 1, 2, 3, 4, 5);
    }

    @Test
    void everyPartitionHasExactlyOneOwnerAndTheSharesDifferByAtMostOne() {
        List<String> members = List.of("c", "a", "b");
        Set<Integer> seen = new HashSet<>();
        for (String member : members) {
            Set<Integer> owned = GroupMembers.owned(Set.copyOf(members), member, 7);
            assertThat(owned).hasSizeBetween(2, 3);
            assertThat(seen).as("owned twice").noneMatch(owned::contains);
            seen.addAll(owned);
        }
        assertThat(seen).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5, 6);
    }

    @Test
    void theOwnersFollowTheRankByIdWhicheverMemberComputesThem() {
        assertThat(GroupMembers.owned(Set.of("a", "c"), "b", 6)).containsExactly(1, 4);
        assertThat(GroupMembers.owned(Set.of("b", "c"), "a", 6)).containsExactly(0, 3);
        assertThat(GroupMembers.owned(Set.of("a", "b"), "c", 6)).containsExactly(2, 5);
    }
}
